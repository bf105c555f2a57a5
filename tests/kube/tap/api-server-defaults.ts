/**
 * What the API server does to the sidecar tap writes, before untap reads it back: fills in defaults and stores
 * quantities in canonical form. A stand-in for the real server's defaulting of the fields tap sets, so the tests
 * can show that untap still recognises its own sidecar (and reports no conflict) after that round trip.
 */

import { SIDECAR_PREFIX } from "../../../src/kube/tap/names.ts";
import type { Container, Workload } from "../../../src/kube/tap/workload.ts";

/** apimachinery's canonical spelling of the quantities the tests use. */
const CANONICAL: Record<string, string> = { "1.5Gi": "1536Mi", "0.5": "500m", "5e-2": "50m", "1e-1": "100m", "2": "2", "3Gi": "3Gi" };

function defaultContainer(c: Container): void {
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  c.imagePullPolicy ??= /:latest$|^[^:@]+$/.test(c.image ?? "") ? "Always" : "IfNotPresent";
  for (const e of c.env ?? []) {
    const ref = (e.valueFrom as { fieldRef?: { apiVersion?: string } } | undefined)?.fieldRef;
    if (ref !== undefined) ref.apiVersion ??= "v1";
  }
  const probe = c.livenessProbe as Record<string, unknown> | undefined;
  if (probe !== undefined) {
    probe.timeoutSeconds ??= 1;
    probe.successThreshold ??= 1;
    probe.failureThreshold ??= 3;
    (probe.httpGet as Record<string, unknown>).scheme ??= "HTTP";
  }
  const res = c.resources as Record<string, Record<string, string>> | undefined;
  for (const side of Object.values(res ?? {})) for (const k of Object.keys(side)) side[k] = CANONICAL[side[k]!] ?? side[k]!;
}

/** The workload as a GET after the write would return it (only logtap's additions are touched: the rest was
 *  defaulted already when it was first created). */
export function apiServerRoundTrip(w: Workload): Workload {
  const out = structuredClone(w);
  const spec = out.spec.template.spec;
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) if (c.name.startsWith(SIDECAR_PREFIX)) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (!v.name.startsWith("logtap-fb-")) continue;
    if (v.configMap) (v.configMap as Record<string, unknown>).defaultMode ??= 420;
    if (v.hostPath) (v.hostPath as Record<string, unknown>).type ??= "";
  }
  return out;
}
