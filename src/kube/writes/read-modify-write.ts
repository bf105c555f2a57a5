/**
 * Read, change, write back with the resourceVersion read as the precondition (tap and untap change workloads
 * only so): another writer's change in between makes the server answer 409, and the change is made again on a
 * fresh read, a bounded number of times (client-go's RetryOnConflict: 5 tries, ~10 ms apart). Raw JSON throughout,
 * so fields this client does not know survive the round trip.
 */

import { isConflict, KubeApiError } from "../errors/kube-error.ts";
import type { KubeTransport } from "../transport/transport.ts";
import type { KubeObject } from "../streams/watch.ts";
import { writeQuery, type WriteOptions } from "./patch.ts";

export interface ReadModifyWriteOptions extends WriteOptions {
  /** Tries in all, the first included. */
  attempts?: number;
}

export interface ReadModifyWriteResult<T> {
  /** What the server stored (or, unchanged, what was read). */
  object: T;
  changed: boolean;
  attempts: number;
}

/**
 * `change` gets a private copy of the current object and returns the object to write, or undefined when there is
 * nothing to change. It may run several times, each on a fresh read, so it must derive everything from its input.
 */
export async function readModifyWrite<T extends KubeObject>(
  transport: KubeTransport,
  path: string,
  change: (current: T, attempt: number) => T | undefined | Promise<T | undefined>,
  opts: ReadModifyWriteOptions = {},
): Promise<ReadModifyWriteResult<T>> {
  const attempts = Math.max(1, opts.attempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    const current = await transport.json<T>({ path, signal: opts.signal });
    const next = await change(structuredClone(current), attempt);
    if (next === undefined || Bun.deepEquals(next, current, true)) return { object: current, changed: false, attempts: attempt };
    // The precondition is the version read, whatever `change` did to metadata.
    next.metadata = { ...next.metadata, resourceVersion: current.metadata?.resourceVersion };
    try {
      const object = await transport.json<T>({ method: "PUT", path, query: writeQuery(opts), body: next, signal: opts.signal });
      return { object, changed: true, attempts: attempt };
    } catch (e) {
      if (!isConflict(e)) throw e;
      if (attempt >= attempts) {
        throw new KubeApiError(`${e.message} (gave up after ${attempts} attempts: the object kept changing under us)`, e.status, e.reason, e.body);
      }
      await Bun.sleep(10 + Math.random() * 10);
    }
  }
}
