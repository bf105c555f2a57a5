/**
 * Which workloads are tapped, by which sessions, and how many pods each runs — the facts check, status, tap
 * (`--all` takes the untapped ones) and untap (the tapped ones) all decide on.
 */

import { tappedSessions } from "../tap/plan-untap.ts";
import type { Workload } from "../tap/workload.ts";

export interface TapState {
  /** Every session tapped in, ours (in the tap record) first, then upstream's (only in `logtap.dev/tapped`). */
  sessions: string[];
  record: string[];
  upstream: string[];
  /** Why the tap record could not be read, or null. */
  recordError: string | null;
}

export function tapState(w: Workload): TapState {
  const s = tappedSessions(w.spec.template);
  return { sessions: [...s.record, ...s.upstream], record: s.record, upstream: s.upstream, recordError: s.recordError };
}

/** Tapped = some session is listed (§22.8: a non-empty `logtap.dev/tapped`), or a record still names one. */
export function isTapped(w: Workload): boolean {
  return tapState(w).sessions.length > 0;
}

export function hasSession(w: Workload, session: string): boolean {
  return tapState(w).sessions.includes(session);
}

export function partitionByTapped(ws: readonly Workload[]): { tapped: Workload[]; untapped: Workload[] } {
  const tapped: Workload[] = [];
  const untapped: Workload[] = [];
  for (const w of ws) (isTapped(w) ? tapped : untapped).push(w);
  return { tapped, untapped };
}

/** §22.3 step 11: spec.replicas (default 1), or for a DaemonSet status.desiredNumberScheduled (0 when unset). */
export function replicasOf(w: Workload): number {
  if (w.kind === "DaemonSet") {
    const n = (w.status as { desiredNumberScheduled?: unknown } | undefined)?.desiredNumberScheduled;
    return typeof n === "number" ? n : 0;
  }
  const r = (w.spec as { replicas?: unknown }).replicas;
  return typeof r === "number" ? r : 1;
}
