/**
 * A pull as `logtap pull` and `recv --in-cluster` run it: continuously until `stop` aborts (`follow`), then either
 * one more round, or (`finish`) the receiver finished and the rest pulled and checked. The final step is retried a
 * few times when it fails for a reason that passes: it is the one that must not be lost.
 */

import { formatBytes } from "../../common/format.ts";
import type { CapturePuller, PullSummary } from "./capture-puller.ts";
import { isRetryable, pullWhile } from "./pull-loop.ts";

export interface PullPlan {
  follow: boolean;
  /** Ends following (Ctrl+C, --duration); the final step runs after it, without it. */
  stop: AbortSignal;
  intervalMs: number;
  finish: boolean;
  log: (line: string) => void;
  /** Tries of the final step, `retryMs` apart. */
  attempts?: number;
  retryMs?: number;
}

/** The summary when the capture was finished and is home whole; null after a plain round. */
export async function runPull(puller: CapturePuller, plan: PullPlan): Promise<PullSummary | null> {
  if (plan.follow) await pullWhile(puller, plan.stop, { intervalMs: plan.intervalMs, log: plan.log });
  if (!plan.finish) {
    const round = await finalStep(plan, () => puller.sync());
    plan.log(`pulled ${formatBytes(round.bytes)} into ${puller.dir} (${round.sealed} closed data file(s) complete${round.finished ? "; the receiver has finished" : ""})`);
    return null;
  }
  plan.log("finishing the receiver's capture (it takes no more pushes)...");
  const summary = await finalStep(plan, () => puller.complete());
  plan.log(`capture home: ${puller.dir} (${summary.files} files, ${formatBytes(summary.bytes)}, ${summary.lines} lines), identical to the receiver's`);
  return summary;
}

async function finalStep<T>(plan: PullPlan, step: () => Promise<T>): Promise<T> {
  const attempts = plan.attempts ?? 5;
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (e) {
      if (i >= attempts || !isRetryable(e)) throw e;
      plan.log(`warning: ${(e as Error).message}; trying again (${i}/${attempts - 1})`);
      await Bun.sleep(plan.retryMs ?? 2000);
    }
  }
}
