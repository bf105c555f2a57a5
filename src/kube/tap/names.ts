/** The annotation keys and object names of §22.2, plus the one annotation this port adds: the tap record. */

/** Comma list of the sessions tapped into this template (upstream's key; upstream's tooling reads it). */
export const TAPPED_ANNOTATION = "logtap.dev/tapped";
/** The last `--target` used. */
export const TARGET_ANNOTATION = "logtap.dev/target";
/** `fluent-bit` while a Fluent Bit session is tapped in. */
export const FORWARDER_ANNOTATION = "logtap.dev/forwarder";
/**
 * What tap changed, so untap can undo exactly that (tap-record.ts). Upstream has no such key: a workload tapped
 * by upstream has `logtap.dev/tapped` without it and is untapped by upstream's rules (upstream-untap.ts).
 */
export const RECORD_ANNOTATION = "logtap.dev/tap-record";

export const LINKERD_INJECT_ANNOTATION = "linkerd.io/inject";
export const LINKERD_SKIP_OUTBOUND_ANNOTATION = "config.linkerd.io/skip-outbound-ports";
export const ISTIO_INJECT_KEY = "sidecar.istio.io/inject";
export const ISTIO_REV_KEY = "istio.io/rev";
export const ISTIO_EXCLUDE_OUTBOUND_ANNOTATION = "traffic.sidecar.istio.io/excludeOutboundPorts";

/** Every container tap adds is named `logtap-forwarder-<session>`; the forwarder skips siblings with this prefix. */
export const SIDECAR_PREFIX = "logtap-forwarder-";

export function sidecarName(session: string): string {
  return `${SIDECAR_PREFIX}${session}`;
}

/** The Fluent Bit variant's ConfigMap (§22.2 labels it `logtap.dev/session=<id>`). */
export function fluentBitConfigMapName(session: string): string {
  return `logtap-fb-${session}`;
}

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const SESSION_LABEL = "logtap.dev/session";
