/**
 * Mesh bypass (§22.2): in a Linkerd- or Istio-injected pod the forwarder's push to the receiver would go through
 * the mesh proxy (and, with mTLS required, fail), so tap excludes the target's port from the proxy's outbound
 * capture. Only an explicitly written port is excluded, as upstream does: a URL without a port means 80/443, and
 * excluding those would take the app's own web traffic out of the mesh.
 *
 * Detection, as upstream, from the pod template — `linkerd.io/inject: enabled`; `sidecar.istio.io/inject: "true"`
 * or an `istio.io/rev` key — looked up in the template's annotations and (what current Istio documents) its
 * labels; and, when the caller passes them, from the namespace's own injection markers (`linkerd.io/inject`
 * annotation, `istio-injection=enabled` or `istio.io/rev` label), which upstream misses. A template that opts
 * out (`linkerd.io/inject: disabled`, `sidecar.istio.io/inject: "false"`) stays out.
 */

import {
  ISTIO_EXCLUDE_OUTBOUND_ANNOTATION,
  ISTIO_INJECT_KEY,
  ISTIO_REV_KEY,
  LINKERD_INJECT_ANNOTATION,
  LINKERD_SKIP_OUTBOUND_ANNOTATION,
} from "./names.ts";
import type { PodTemplate } from "./workload.ts";

/** The namespace's metadata, when the caller has read it (tap reads it for the production check anyway). */
export interface NamespaceMeta {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function linkerdInjected(t: PodTemplate, ns: NamespaceMeta | undefined): boolean {
  const own = t.metadata?.annotations?.[LINKERD_INJECT_ANNOTATION];
  if (own !== undefined) return own === "enabled";
  return ns?.annotations?.[LINKERD_INJECT_ANNOTATION] === "enabled";
}

function istioInjected(t: PodTemplate, ns: NamespaceMeta | undefined): boolean {
  const a = t.metadata?.annotations ?? {};
  const l = t.metadata?.labels ?? {};
  const own = l[ISTIO_INJECT_KEY] ?? a[ISTIO_INJECT_KEY];
  if (own !== undefined) return own === "true";
  if (ISTIO_REV_KEY in a || ISTIO_REV_KEY in l) return true;
  const nl = ns?.labels ?? {};
  return nl["istio-injection"] === "enabled" || ISTIO_REV_KEY in nl;
}

/** The pod-template annotations whose port lists must carry the target port, for the meshes this pod is in. */
export function meshBypassKeys(t: PodTemplate, ns?: NamespaceMeta): string[] {
  const keys: string[] = [];
  if (linkerdInjected(t, ns)) keys.push(LINKERD_SKIP_OUTBOUND_ANNOTATION);
  if (istioInjected(t, ns)) keys.push(ISTIO_EXCLUDE_OUTBOUND_ANNOTATION);
  return keys;
}

/** Both bypass keys, whatever the pod's meshes: what upstream's untap deletes. */
export const MESH_BYPASS_KEYS: readonly string[] = [LINKERD_SKIP_OUTBOUND_ANNOTATION, ISTIO_EXCLUDE_OUTBOUND_ANNOTATION];
