/**
 * Orphan detection (§22.8): every tapped workload is a leftover — with its sidecar still in the template (and
 * whether its receiver answers), or as a stale annotation without one — plus logtap's receiver pods. check does
 * not know whether a session is still wanted; that is what `status` is for.
 */

import { SIDECAR_PREFIX, TAPPED_ANNOTATION, TARGET_ANNOTATION } from "../tap/names.ts";
import { allContainers, templateAnnotations, type Workload } from "../tap/workload.ts";
import { tapState } from "../workloads/classify.ts";
import type { ReceiverProbe } from "../receiver-probe.ts";
import type { ReceiverPod } from "./receiver-pods.ts";
import { workloadRefOf, type WorkloadRef } from "./workload-ref.ts";

export interface SidecarLeftover {
  workload: WorkloadRef;
  sessions: string[];
  target: string;
  target_reachable: boolean;
  /** Added to upstream's shape: why the receiver did not answer. */
  target_error?: string;
  /** Added: an https receiver whose certificate this machine does not trust (it was asked unverified). */
  target_certificate_error?: string;
}

export interface StaleLeftover {
  workload: WorkloadRef;
  annotation: string;
}

export interface Leftovers {
  sidecars: SidecarLeftover[];
  stale_workloads: StaleLeftover[];
  receivers: ReceiverPod[];
}

export function hasSidecar(w: Workload): boolean {
  return allContainers(w.spec.template.spec).some(({ container }) => container.name.startsWith(SIDECAR_PREFIX));
}

/** The distinct targets of the tapped workloads that still have a sidecar: what must be probed. */
export function sidecarTargets(tapped: readonly Workload[]): string[] {
  return [...new Set(tapped.filter(hasSidecar).map((w) => templateAnnotations(w.spec.template)[TARGET_ANNOTATION] ?? ""))];
}

export function findLeftovers(tapped: readonly Workload[], namespace: string, probes: ReadonlyMap<string, ReceiverProbe>, receivers: ReceiverPod[]): Leftovers {
  const out: Leftovers = { sidecars: [], stale_workloads: [], receivers };
  for (const w of tapped) {
    const annotations = templateAnnotations(w.spec.template);
    const ref = workloadRefOf(w, namespace);
    if (!hasSidecar(w)) {
      out.stale_workloads.push({ workload: ref, annotation: annotations[TAPPED_ANNOTATION] ?? tapState(w).sessions.join(",") });
      continue;
    }
    const target = annotations[TARGET_ANNOTATION] ?? "";
    const probe = probes.get(target);
    out.sidecars.push({
      workload: ref,
      sessions: tapState(w).sessions,
      target,
      target_reachable: probe?.reachable === true,
      ...(probe?.error ? { target_error: probe.error } : {}),
      ...(probe?.certificateProblem ? { target_certificate_error: probe.certificateProblem } : {}),
    });
  }
  return out;
}

export function leftoverCount(l: Leftovers): number {
  return l.sidecars.length + l.stale_workloads.length + l.receivers.length;
}
