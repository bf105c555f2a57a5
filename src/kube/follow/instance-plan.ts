/**
 * Which container instance to read next, decided from the pod status alone (pure, so every case is testable).
 * `pods/log` picks the instance by the status at request time: the current one, or with `previous=true` the one
 * before it; the node keeps no others. So:
 *
 * - An instance being read stays the one to read until it is finished: followed while it runs; once it stopped,
 *   read to its end once more without following (as current while the status still shows it, else as `previous`)
 *   — a follow stream cut by the network just before the container exited would otherwise lose its last lines.
 * - An unfinished instance the node no longer has (two restarts while the stream was down) is lost: a gap.
 * - A previous instance not read yet is read before the current one: the one that ran before the follower came
 *   (only if it stopped after the floor — its older lines are not wanted), or one that started and stopped between
 *   two looks.
 */

import type { ContainerStatusJson, ContainerStateJson } from "./pod.ts";

export interface ContainerView {
  /** The instance `pods/log` serves by default; undefined while none has started (or in back-off after a crash). */
  currentId?: string;
  running: boolean;
  /** When the running instance started (seconds). */
  currentStarted?: number;
  /** When the current instance stopped (seconds), if it has. */
  currentFinished?: number;
  /** The instance `previous=true` serves. */
  previousId?: string;
  previousFinished?: number;
}

export function containerView(s: ContainerStatusJson | undefined): ContainerView {
  if (!s) return { running: false };
  const finished = (st: ContainerStateJson | undefined) => (st?.terminated?.finishedAt ? Date.parse(st.terminated.finishedAt) / 1000 : undefined);
  const started = s.state?.running?.startedAt;
  const state = s.state ?? {};
  const currentId = state.running ? s.containerID : state.terminated ? (state.terminated.containerID ?? s.containerID) : undefined;
  return {
    currentId: currentId || undefined,
    running: state.running !== undefined,
    currentStarted: started ? Date.parse(started) / 1000 : undefined,
    currentFinished: finished(state),
    previousId: s.lastState?.terminated?.containerID || undefined,
    previousFinished: finished(s.lastState),
  };
}

export interface FollowState {
  /** The instance being read and not finished yet. */
  reading?: string;
  /** Instances read to their end (only the last few matter: the node keeps two). */
  done: string[];
}

export type Plan =
  | { kind: "read"; id: string; previous: boolean; follow: boolean; resume: boolean }
  | { kind: "lost"; id: string }
  | { kind: "wait" };

/**
 * The first look at a container: instances that stopped before `floorSec` (less a second: finishedAt has whole
 * seconds) hold nothing wanted and count as read, so no request is spent on them.
 */
export function firstLook(v: ContainerView, s: FollowState, floorSec: number): void {
  const old = (finished: number | undefined) => finished !== undefined && finished + 1 < floorSec;
  if (v.previousId && old(v.previousFinished)) finish(s, v.previousId);
  if (v.currentId && !v.running && old(v.currentFinished)) finish(s, v.currentId);
}

export function planInstance(v: ContainerView, s: FollowState): Plan {
  if (s.reading !== undefined) {
    if (v.currentId === s.reading) return { kind: "read", id: s.reading, previous: false, follow: v.running, resume: true };
    if (v.previousId === s.reading) return { kind: "read", id: s.reading, previous: true, follow: false, resume: true };
    return { kind: "lost", id: s.reading };
  }
  if (v.previousId && !s.done.includes(v.previousId) && v.previousId !== v.currentId) {
    return { kind: "read", id: v.previousId, previous: true, follow: false, resume: false };
  }
  if (v.currentId && !s.done.includes(v.currentId)) {
    return { kind: "read", id: v.currentId, previous: false, follow: v.running, resume: false };
  }
  return { kind: "wait" };
}

/** Marks an instance finished (read to its end, lost, or too old to matter). */
export function finish(s: FollowState, id: string): void {
  if (s.reading === id) s.reading = undefined;
  if (!s.done.includes(id)) s.done.push(id);
  if (s.done.length > 4) s.done.shift();
}
