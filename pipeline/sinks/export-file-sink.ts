/**
 * Sink: writes entries through an export target — one JSONL, CSV or Parquet file, or a Hive-partitioned directory —
 * with everything under temporary names until the stream closes, so a failed export leaves nothing behind. A batch's
 * `patterns` (assign-patterns stage) fill the pattern columns of a target opened with them.
 */

import type { PatternedBatch } from "../../src/model/patterned-batch.ts";
import { exportUnderlyingSink, type ExportResult, type ExportSinkOptions, type ExportTarget } from "../../src/export/export-target.ts";

/**
 * @example
 * const sink = new ExportFileSink(new SingleFileTarget("parquet", "out/entries.parquet"));
 * // or: new ExportFileSink(new PartitionedTarget("parquet", "out/", parsePartitionBy("hour,app")))
 * await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeTo(sink);
 * console.log(sink.result); // { rows, bytes, files, partitions? }
 */
export class ExportFileSink extends WritableStream<PatternedBatch> {
  readonly #target: ExportTarget;

  constructor(target: ExportTarget, opts: ExportSinkOptions = {}) {
    super(exportUnderlyingSink(target, opts));
    this.#target = target;
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#target.rows;
  }

  get result(): ExportResult | null {
    return this.#target.result;
  }
}
