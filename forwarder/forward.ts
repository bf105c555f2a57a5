/**
 * The forwarder's pipeline after its source (docs/architecture.md, Assemblies):
 * `pod-log-source → relabel → observe (lines read) → rebatch → loki-push-sink`. Resolves when the source has ended
 * and the sink has had its last chance to push (SIGTERM ends the source).
 */

import { LokiPushSink } from "../pipeline/sinks/loki-push-sink.ts";
import { ObserveStream } from "../pipeline/stages/observe.ts";
import { RebatchStream, type RebatchOptions } from "../pipeline/stages/rebatch.ts";
import { RelabelStream } from "../pipeline/stages/relabel.ts";
import type { ForwarderMetrics } from "../src/forward/forwarder-metrics.ts";
import { PushClient } from "../src/forward/push-client.ts";
import { Sender } from "../src/forward/sender.ts";
import type { EntryBatch, Labels } from "../src/model/entry.ts";
import type { ForwarderEnv } from "./env.ts";

/**
 * Pushes of up to 1,000 lines or ~512 KiB, sent at most 500 ms after their first line: upstream's 500 ms latency,
 * with batches of several containers' streams instead of a push per container change (docs/benchmarks.md, Forwarder,
 * whose benchmark changes these fields to measure upstream's 100-line pushes).
 */
export const BATCHING: RebatchOptions = { maxLines: 1000, maxBytes: 512 * 1024, perEntryBytes: 24, maxDelayMs: 500 };

/**
 * A batch weighs at most this share of LOGTAP_BUFFER_SIZE, so a full buffer always has whole batches to evict and
 * holds at most 1.5 × its size (the push just added and the one on the wire are never evicted).
 */
const BATCHES_PER_BUFFER = 4;

/** What is left at SIGTERM gets this long to reach the receiver (the pod's grace period is 30 s by default). */
const CLOSE_BUDGET_MS = 10_000;

export interface ForwardOptions {
  env: ForwarderEnv;
  metrics: ForwarderMetrics;
  log: (line: string) => void;
  /** The pushed label set for a source entry's labels. */
  relabel: (labels: Labels) => Labels;
  /** Aborted at SIGTERM: the sender stops holding writes back, so what was read flows out within the budget. */
  stopping: AbortSignal;
}

function batchingFor(env: ForwarderEnv): RebatchOptions {
  return { ...BATCHING, maxBytes: Math.max(1, Math.min(BATCHING.maxBytes, Math.floor(env.bufferSize / BATCHES_PER_BUFFER))) };
}

export function forward(source: ReadableStream<EntryBatch>, o: ForwardOptions): Promise<void> {
  const { env, metrics, log } = o;
  const sender = new Sender({
    pusher: new PushClient(env.target, { skipVerify: env.tlsSkipVerify }),
    bufferBytes: env.bufferSize,
    retryMax: env.retryMax,
    metrics,
    log,
  });
  o.stopping.addEventListener("abort", () => sender.shutdown(CLOSE_BUDGET_MS), { once: true });
  return source
    .pipeThrough(new RelabelStream(o.relabel))
    .pipeThrough(new ObserveStream((b) => metrics.linesRead.inc(b.entries.length)))
    .pipeThrough(new RebatchStream(batchingFor(env)))
    .pipeTo(new LokiPushSink({ sender, format: env.format, metrics, log, closeBudgetMs: CLOSE_BUDGET_MS }));
}
