/**
 * Pod readiness and availability as the workload controllers count them (podutil.IsPodReady / IsPodAvailable).
 * Availability needs the pod Ready for `minReadySeconds`; the Ready condition's timestamp has only second precision,
 * which is useless once time is scaled, so the tracker remembers (in real milliseconds) when it first saw each pod
 * Ready.
 */

import type { KubeObject } from "../contract.ts";
import type { ClusterClock } from "./cluster-clock.ts";

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
}

/** controller.IsPodActive: not terminating, not finished. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

export class ReadinessTracker {
  readonly #readySince = new Map<string, number>();

  constructor(private readonly clock: ClusterClock) {}

  /** Called with every pod event. */
  observe(pod: KubeObject, deleted = false): void {
    const uid = pod.metadata.uid!;
    if (deleted || !isPodReady(pod)) this.#readySince.delete(uid);
    else if (!this.#readySince.has(uid)) this.#readySince.set(uid, this.clock.now());
  }

  /**
   * Whether the pod counts as available, and if not yet but it is Ready, in how many real milliseconds it will.
   */
  availability(pod: KubeObject, minReadySeconds = 0): { available: boolean; inMs?: number } {
    if (!isPodReady(pod)) return { available: false };
    if (!minReadySeconds) return { available: true };
    const since = this.#readySince.get(pod.metadata.uid!) ?? this.clock.now();
    const left = since + this.clock.ms(minReadySeconds) - this.clock.now();
    return left <= 0 ? { available: true } : { available: false, inMs: left };
  }
}
