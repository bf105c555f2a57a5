/**
 * Every configuration key (upstream §24), the environment variable that overrides it, and the command flag it
 * sets. Upstream silently ignored tap.cpu, tap.memory and LOGTAP_RECV_REDACT_PATTERNS and let tap.namespace leak
 * into recv; here each key reaches exactly its flag (Q18).
 */

export interface ConfigKey {
  key: string;
  env?: string;
  /** command name → flag name; "*" = every command (global flags). */
  flags: Record<string, string>;
  list?: boolean;
}

export const CONFIG_KEYS: readonly ConfigKey[] = [
  { key: "recv.addr", env: "LOGTAP_RECV_ADDR", flags: { recv: "listen" } },
  { key: "recv.dir", env: "LOGTAP_RECV_DIR", flags: { recv: "dir" } },
  { key: "recv.disk_cap", env: "LOGTAP_RECV_DISK_CAP", flags: { recv: "max-disk" } },
  { key: "recv.redact", env: "LOGTAP_RECV_REDACT", flags: { recv: "redact" } },
  { key: "recv.redact_patterns", env: "LOGTAP_RECV_REDACT_PATTERNS", flags: { recv: "redact-patterns" } },
  { key: "recv.webhooks", env: "LOGTAP_RECV_WEBHOOKS", flags: { recv: "webhook" }, list: true },
  { key: "recv.webhook_events", env: "LOGTAP_RECV_WEBHOOK_EVENTS", flags: { recv: "webhook-events" } },
  { key: "tap.namespace", env: "LOGTAP_TAP_NAMESPACE", flags: { tap: "namespace" } },
  { key: "tap.cpu", env: "LOGTAP_TAP_CPU", flags: { tap: "sidecar-cpu" } },
  { key: "tap.memory", env: "LOGTAP_TAP_MEMORY", flags: { tap: "sidecar-memory" } },
  { key: "defaults.timeout", env: "LOGTAP_TIMEOUT", flags: { "*": "timeout" } },
  // Read and validated for compatibility; no command has a verbose mode yet.
  { key: "defaults.verbose", env: "LOGTAP_VERBOSE", flags: {} },
];
