/**
 * A controller's work queue: keys ("namespace/name") are collected while store events arrive and reconciled once
 * each, on a later turn of the event loop — never inside the store's change listener, so a controller's own writes
 * reach every other listener in write order. A reconcile may ask to run again after a delay (a progress deadline, a
 * back-off); one that throws is retried with a growing real-time back-off (a 409 from a racing writer, mostly).
 */

import type { ClusterClock } from "./cluster-clock.ts";

/** What a reconcile returns: nothing, or the real milliseconds after which to look at the key again. */
export type ReconcileResult = void | { requeueAfterMs: number };

export class WorkQueue {
  readonly #pending = new Set<string>();
  readonly #later = new Map<string, () => void>();
  readonly #failures = new Map<string, number>();
  #scheduled = false;
  #stopped = false;

  constructor(
    private readonly clock: ClusterClock,
    private readonly reconcile: (key: string) => ReconcileResult,
    private readonly onError: (key: string, error: unknown) => void = () => {},
  ) {}

  add(key: string): void {
    if (this.#stopped) return;
    this.#pending.add(key);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => this.#drain(), 0);
  }

  /** Looks at `key` again after `ms` real milliseconds; an earlier request for the same key wins over a later one. */
  addAfterMs(key: string, ms: number): void {
    if (this.#stopped || this.#later.has(key)) return;
    const cancel = this.clock.afterMs(ms, () => {
      this.#later.delete(key);
      this.add(key);
    });
    this.#later.set(key, cancel);
  }

  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#later.values()) cancel();
    this.#later.clear();
    this.#pending.clear();
  }

  #drain(): void {
    this.#scheduled = false;
    if (this.#stopped) return;
    const keys = [...this.#pending];
    this.#pending.clear();
    for (const key of keys) {
      if (this.#stopped) return;
      try {
        const result = this.reconcile(key);
        this.#failures.delete(key);
        if (result) this.addAfterMs(key, result.requeueAfterMs);
      } catch (error) {
        const n = (this.#failures.get(key) ?? 0) + 1;
        this.#failures.set(key, n);
        this.onError(key, error);
        // Real time, not cluster time: this is the stand-in's own retry, not a delay a real cluster would show.
        this.addAfterMs(key, Math.min(5 * 2 ** n, 1000));
      }
    }
  }
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
