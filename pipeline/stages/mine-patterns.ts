/**
 * Stage: feeds every entry's message to a template miner (src/analysis/patterns) and passes the batch on unchanged,
 * so mining can sit in any reading pipeline; `select` keeps some entries out of the miner (`patterns --errors`).
 */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { Entry, Labels } from "../../src/model/entry.ts";
import { serviceOf } from "../../src/capture/display-line.ts";
import type { PatternMiner } from "../../src/analysis/patterns/miner.ts";

/** The service of a label set, once per stream (readers share one labels object per stream). */
export function serviceCache(): (labels: Labels) => string {
  const cache = new WeakMap<Labels, string>();
  return (labels) => {
    let s = cache.get(labels);
    if (s === undefined) cache.set(labels, (s = serviceOf(labels)));
    return s;
  };
}

/**
 * @example
 * await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeThrough(new MinePatternsStream(miner)).pipeTo(discard);
 * new MinedPatterns(miner).patterns
 */
export class MinePatternsStream extends TransformStream<CaptureBatch, CaptureBatch> {
  constructor(miner: PatternMiner, select?: (e: Entry) => boolean) {
    const service = serviceCache();
    super({
      transform(batch, controller) {
        for (const e of batch.entries) if (select === undefined || select(e)) miner.add(e.msg, e.sec, e.nsec, service(e.labels));
        controller.enqueue(batch);
      },
    });
  }
}
