/** Stage: fault injection (`open --inject`, upstream §6): each entry replaced by what the Injector makes of it. */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { Injector } from "../../src/analysis/inject/injector.ts";

export interface InjectCounts {
  /** Entries that came in. */
  original: number;
  /** Entries that went out (more with error-spike, fewer with service-down). */
  total: number;
}

/**
 * Stored line texts (`raws`) are dropped: injected entries have none and altered ones no longer match theirs.
 *
 * @example
 * const inject = new InjectFaultsStream(new Injector(faults, { at, durationNs }));
 * await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeThrough(inject).pipeTo(sink);
 * console.log(inject.counts.total - inject.counts.original);
 */
export class InjectFaultsStream extends TransformStream<CaptureBatch, CaptureBatch> {
  readonly counts: InjectCounts;

  constructor(injector: Injector) {
    const counts: InjectCounts = { original: 0, total: 0 };
    super({
      transform(batch, controller) {
        const out: CaptureBatch["entries"] = [];
        for (const e of batch.entries) {
          const replaced = injector.apply(e);
          for (let i = 0; i < replaced.length; i++) out.push(replaced[i]!);
        }
        counts.original += batch.entries.length;
        counts.total += out.length;
        if (out.length > 0) controller.enqueue({ entries: out, file: batch.file });
      },
    });
    this.counts = counts;
  }
}
