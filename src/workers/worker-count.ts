/**
 * Worker threads for CPU-bound fan-out: one per core, at least two, at most four. Not "cores − 1": the main thread's
 * share of the work varies (queueing and writing in recv, parsing hits in grep), and two workers beside it let the
 * scheduler keep both cores of a small machine busy whichever side is the bottleneck.
 */
export function defaultWorkerCount(): number {
  return Math.min(4, Math.max(2, navigator.hardwareConcurrency));
}
