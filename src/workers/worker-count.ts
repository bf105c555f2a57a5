/** How many worker threads to fan CPU-bound work out to (Bun's `navigator.hardwareConcurrency` counts the cores). */

/**
 * For work the workers carry nearly alone (search, redaction): one per core, at least two, at most four — not
 * "cores − 1", because the main thread's share is small and two workers beside it let the scheduler keep both
 * cores of a small machine busy.
 */
export function defaultWorkerCount(): number {
  return Math.min(4, Math.max(2, navigator.hardwareConcurrency));
}

/**
 * For work the main thread shares about evenly (decoding pushes while it encodes and writes): the cores the main
 * thread leaves, at least one, at most four. A second worker on two cores measured no faster and ~50 MB larger.
 */
export function spareCoreCount(): number {
  return Math.min(4, Math.max(1, navigator.hardwareConcurrency - 1));
}
