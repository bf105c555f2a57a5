/**
 * The stand-in cluster's sense of time. Timestamps are real wall-clock time (so `sinceSeconds`, `sinceTime` and
 * `kubectl get`'s AGE column mean what they mean on a real cluster), but every delay the cluster itself waits —
 * scheduling, image pulls, container start-up, crash back-off, `minReadySeconds`, `progressDeadlineSeconds` — is
 * given in cluster seconds and multiplied by one factor, `timeScale`. A test with `timeScale: 0.01` sees a rollout
 * that would take a minute on a real cluster finish in well under a second, with every intermediate state on the way.
 */

export interface ClusterClockOptions {
  /** Real seconds per cluster second: 1 is real time, 0.01 runs the cluster's own delays a hundred times faster. */
  timeScale?: number;
}

export class ClusterClock {
  readonly timeScale: number;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #stopped = false;

  constructor(opts: ClusterClockOptions = {}) {
    const scale = opts.timeScale ?? 1;
    if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`timeScale must be a positive number, got ${scale}`);
    this.timeScale = scale;
  }

  /** Real milliseconds that `seconds` of cluster time take. */
  ms(seconds: number): number {
    return seconds * 1000 * this.timeScale;
  }

  /** Wall-clock milliseconds since the epoch (unscaled: timestamps are real). */
  now(): number {
    return Date.now();
  }

  /** Runs `fn` after `seconds` of cluster time; returns a cancel function. Stopped clocks run nothing. */
  after(seconds: number, fn: () => void): () => void {
    return this.afterMs(this.ms(seconds), fn);
  }

  /** Runs `fn` after `ms` real milliseconds (for delays already converted, e.g. a deadline computed from a timestamp). */
  afterMs(ms: number, fn: () => void): () => void {
    if (this.#stopped) return () => {};
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) fn();
    }, Math.max(0, ms));
    this.#timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Cancels every pending timer; nothing scheduled through this clock runs afterwards. */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}

/** metav1.Time as the API serialises it: RFC 3339, whole seconds, UTC. */
export function metaTime(ms: number = Date.now()): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
