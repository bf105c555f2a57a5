/** Sink: grep's sorted output (`--format text`, `--sort`), printed as the batches' `laterFrom` allows (sorted-output.ts). */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { SortedOutput } from "../../src/search/sorted-output.ts";

/**
 * @example
 * const output = new SortedOutput("text", filter.labels);
 * await iteratorSource(reader.batches(output.planned)).pipeThrough(new FilterEntriesStream(filter)).pipeTo(new SortedOutputSink(output));
 */
export class SortedOutputSink extends WritableStream<CaptureBatch> {
  /** The data files with a match. */
  readonly files = new Set<string>();
  matches = 0;

  constructor(output: SortedOutput) {
    super({
      write: async (batch) => {
        for (const e of batch.entries) output.hits.addEntry(e);
        this.matches += batch.entries.length;
        this.files.add(batch.file);
        await output.afterBatch(batch.laterFrom);
      },
      close: () => output.finish(),
    });
  }
}
