/**
 * Stage: the second pass of `export --with-pattern`. The miner of the first pass is run again over the same entries
 * in the same order — it places every entry exactly as it did then — and each entry gets the final pattern of its
 * template (`MinedPatterns.assign`), so the exported ids and counts are the ones `logtap patterns` reports. Entries
 * past the first pass's count (a live capture grew meanwhile) are left out; a template the first pass did not have
 * means the capture changed under the export (a file removed by the disk cap), which fails it.
 */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { PatternedBatch, RowPattern } from "../../src/model/patterned-batch.ts";
import type { MinedPatterns } from "../../src/analysis/patterns/finish.ts";
import { PatternMiner } from "../../src/analysis/patterns/miner.ts";
import { serviceCache } from "./mine-patterns.ts";

/**
 * @example
 * await captureSource(reader2).pipeThrough(new FilterEntriesStream(filter)).pipeThrough(new AssignPatternsStream(mined)).pipeTo(sink);
 */
export class AssignPatternsStream extends TransformStream<CaptureBatch, PatternedBatch> {
  constructor(mined: MinedPatterns) {
    const miner = new PatternMiner(mined.maxTemplates);
    const service = serviceCache();
    let left = mined.lines;
    super({
      transform(batch, controller) {
        const entries = batch.entries.length <= left ? batch.entries : batch.entries.slice(0, left);
        left -= entries.length;
        if (entries.length === 0) return;
        const patterns: (RowPattern | null)[] = new Array(entries.length);
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i]!;
          const t = miner.add(e.msg, e.sec, e.nsec, service(e.labels));
          if (t !== null && t.id >= mined.templates) throw new Error("the capture changed between the two passes of --with-pattern (a file was removed); export again");
          patterns[i] = t === null ? null : mined.assign(t, miner.line.tokens);
        }
        controller.enqueue({ entries, file: batch.file, patterns });
      },
    });
  }
}
