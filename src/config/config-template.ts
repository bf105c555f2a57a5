/** What `logtap init` writes: every key, commented out, so creating the file changes nothing until a line is enabled. */
export const CONFIG_TEMPLATE = `# logtap configuration. Precedence: this file, then ./.logtap.yaml, then LOGTAP_* environment
# variables, then command-line flags. Uncomment a line to use it.

recv:
  # addr: ":9000"              # --listen            (LOGTAP_RECV_ADDR)
  # dir: ./capture             # --dir               (LOGTAP_RECV_DIR)
  # disk_cap: 50GB             # --max-disk          (LOGTAP_RECV_DISK_CAP)
  # redact: "false"            # --redact: "true", "false" or "email,jwt"  (LOGTAP_RECV_REDACT)
  # redact_patterns: ./patterns.yaml  # --redact-patterns (LOGTAP_RECV_REDACT_PATTERNS)
  # webhooks: []               # --webhook URLs      (LOGTAP_RECV_WEBHOOKS, comma-separated)
  # webhook_events: ""         # --webhook-events    (LOGTAP_RECV_WEBHOOK_EVENTS)

tap:
  # namespace: ""              # tap --namespace      (LOGTAP_TAP_NAMESPACE)
  # cpu: 100m                  # tap --sidecar-cpu    (LOGTAP_TAP_CPU)
  # memory: 80Mi               # tap --sidecar-memory (LOGTAP_TAP_MEMORY)

defaults:
  # timeout: 30s               # --timeout for cluster calls (LOGTAP_TIMEOUT)
  # verbose: false             # (LOGTAP_VERBOSE)
`;
