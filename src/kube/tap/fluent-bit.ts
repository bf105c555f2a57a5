/**
 * The Fluent Bit variant (`--forwarder fluent-bit --image <a Fluent Bit image>`, §22.4): Fluent Bit tails this
 * pod's log files on the node and pushes them to the receiver with its loki output. Differences from upstream,
 * each because upstream's does not work as meant:
 * - the config names the target as `Host`, `Port` and `tls` (Fluent Bit takes no URL; upstream wrote `Host
 *   host:port`, which Fluent Bit resolves as a host name), so the `http(s)://` target form works here too;
 * - the tail path is this pod's own directory (`${LOGTAP_NAMESPACE}_${LOGTAP_POD_NAME}_*`, expanded by Fluent Bit
 *   from the container's environment) and skips the forwarders' own logs; upstream tailed every pod of the
 *   namespace on the node, so each sidecar sent its neighbours' logs too;
 * - the `cri` multiline parser turns the kubelet's `<time> <stream> <F|P> <line>` files back into the app's lines;
 * - volumes are named per session (`logtap-fb-config-<session>`), so two Fluent Bit sessions can share a pod;
 * - `command` (not upstream's `args`) starts Fluent Bit, whatever the image's entrypoint;
 * - no preStop hook: Fluent Bit images have no `sh` or `sleep` either, so upstream's `sh -c "sleep 5"` always
 *   failed; Fluent Bit flushes on SIGTERM itself (its `Grace` period), and the native mode stops it after the app.
 * Injection safety: host, port, session and namespace are checked to letters, digits, dots and hyphens before
 * they are written into the config (target.ts, session-id.ts).
 */

import {
  FLUENT_BIT_BINARY,
  FLUENT_BIT_CONFIG_DIR,
  FLUENT_BIT_CONFIG_FILE,
  POD_LOG_DIR,
} from "./forwarder-defaults.ts";
import { fluentBitConfigMapName, MANAGED_BY_LABEL, SESSION_LABEL, sidecarName, SIDECAR_PREFIX } from "./names.ts";
import { isSessionId } from "./session-id.ts";
import { sidecarResources, type SidecarSpec } from "./sidecar-spec.ts";
import { effectivePort, parseTarget } from "./target.ts";
import type { Container, Volume } from "./workload.ts";

export function fluentBitConfigVolumeName(session: string): string {
  return `logtap-fb-config-${session}`;
}

export function fluentBitLogVolumeName(session: string): string {
  return `logtap-fb-varlog-${session}`;
}

/** Upstream's fixed volume names, which its untap removes (upstream-untap.ts). */
export const UPSTREAM_FLUENT_BIT_VOLUMES: readonly string[] = ["logtap-fb-config", "logtap-fb-varlog"];

export function fluentBitContainer(spec: SidecarSpec): { container: Container; volumes: Volume[] } {
  const configVolume = fluentBitConfigVolumeName(spec.session);
  const logVolume = fluentBitLogVolumeName(spec.session);
  const container: Container = { name: sidecarName(spec.session), image: spec.image };
  if (spec.mode === "native") container.restartPolicy = "Always";
  container.command = [FLUENT_BIT_BINARY, "-c", `${FLUENT_BIT_CONFIG_DIR}/${FLUENT_BIT_CONFIG_FILE}`];
  // Read by the config's tail path (${LOGTAP_NAMESPACE}_${LOGTAP_POD_NAME}_*), same names as the logtap forwarder's.
  container.env = [
    { name: "LOGTAP_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "LOGTAP_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
  ];
  container.resources = sidecarResources(spec.memory, spec.cpu);
  container.volumeMounts = [
    { name: configVolume, mountPath: FLUENT_BIT_CONFIG_DIR, readOnly: true },
    { name: logVolume, mountPath: POD_LOG_DIR, readOnly: true },
  ];
  const volumes: Volume[] = [
    { name: configVolume, configMap: { name: fluentBitConfigMapName(spec.session) } },
    { name: logVolume, hostPath: { path: POD_LOG_DIR } },
  ];
  return { container, volumes };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `fluent-bit.conf` for one session. Throws on a session or target that would not be safe in the file. */
export function fluentBitConfig(session: string, target: string): string {
  if (!isSessionId(session)) throw new Error(`invalid session id ${JSON.stringify(session)}`);
  const t = parseTarget(target);
  if (typeof t === "string") throw new Error(t);
  const lines = [
    "[SERVICE]",
    "    Flush        1",
    "    Log_Level    info",
    "",
    "[INPUT]",
    "    Name              tail",
    `    Path              ${POD_LOG_DIR}/\${LOGTAP_NAMESPACE}_\${LOGTAP_POD_NAME}_*/*/*.log`,
    `    Exclude_Path      ${POD_LOG_DIR}/*/${SIDECAR_PREFIX}*/*.log`,
    "    multiline.parser  cri",
    "    Tag               kube.*",
    "    Read_from_Head    False",
    "    Refresh_Interval  5",
    "",
    "[FILTER]",
    "    Name    modify",
    "    Match   *",
    `    Add     session ${session}`,
    "",
    "[OUTPUT]",
    "    Name                    loki",
    "    Match                   *",
    `    Host                    ${t.host}`,
    `    Port                    ${effectivePort(t)}`,
    `    tls                     ${t.scheme === "https" ? "on" : "off"}`,
    `    Labels                  session=${session}`,
    "    Auto_Kubernetes_Labels  off",
    "",
  ];
  return lines.join("\n");
}

/** The ConfigMap the command creates before the workload update (not in dry-run) and deletes at untap. */
export function fluentBitConfigMap(session: string, namespace: string, target: string) {
  if (!DNS_LABEL.test(namespace)) throw new Error(`invalid namespace ${JSON.stringify(namespace)}`);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: fluentBitConfigMapName(session),
      namespace,
      labels: { [MANAGED_BY_LABEL]: "logtap", [SESSION_LABEL]: session },
    },
    data: { [FLUENT_BIT_CONFIG_FILE]: fluentBitConfig(session, target) },
  };
}
