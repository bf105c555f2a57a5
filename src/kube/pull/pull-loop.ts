/**
 * Pulling continuously: a round every `intervalMs` until the signal aborts. A round that fails for a reason that
 * passes (the network, the API server's proxy, a receiver briefly not ready) is reported once and tried again next
 * round — the next round goes on from the local files, so nothing is fetched twice.
 */

import { formatBytes } from "../../common/format.ts";
import { KubeApiError, KubeError } from "../errors/kube-error.ts";
import { RemoteError } from "./capture-remote.ts";
import type { CapturePuller } from "./capture-puller.ts";

/** Worth another round: the network, timeouts, 429 and 5xx on the way (services/proxy answers 503 without endpoints). */
export function isRetryable(e: unknown): boolean {
  if (e instanceof RemoteError) return e.retryable;
  if (e instanceof KubeApiError) return e.status === 429 || e.status >= 500;
  return e instanceof KubeError && (e.kind === "unreachable" || e.kind === "timeout");
}

export interface PullLoopOptions {
  intervalMs: number;
  log: (line: string) => void;
}

/** Rounds until `signal` aborts; a failure that will not pass ends the loop with that error. */
export async function pullWhile(puller: CapturePuller, signal: AbortSignal, o: PullLoopOptions): Promise<void> {
  let failing = "";
  let sealed = 0;
  while (!signal.aborted) {
    try {
      const round = await puller.sync(signal);
      if (failing) o.log(`pulling again from ${puller.remote.where}`);
      failing = "";
      if (round.sealed > sealed) o.log(`pulled: ${round.sealed} closed data file(s) complete in ${puller.dir} (${formatBytes(round.bytes)} this round)`);
      sealed = round.sealed;
      for (const name of round.deleted) o.log(`${name}: deleted here too (the receiver's --max-disk cap deleted it)`);
    } catch (e) {
      if (signal.aborted) return;
      if (!isRetryable(e)) throw e;
      const message = (e as Error).message;
      if (message !== failing) o.log(`warning: pull failed, trying again: ${message}`);
      failing = message;
    }
    await sleep(o.intervalMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
