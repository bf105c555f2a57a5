/** Sink: writes entries to one CSV file (RFC 4180, header `ts,labels,msg`), renamed into place when the stream closes. */

import type { CaptureBatch } from "../capture-batch.ts";
import { exportUnderlyingSink, SingleFileTarget, type ExportResult, type ExportSinkOptions } from "../../src/export/export-target.ts";

/**
 * @example
 * const sink = new CsvFileSink("out/entries.csv");
 * await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeTo(sink);
 * console.log(sink.result); // { rows, bytes, files: 1 }
 */
export class CsvFileSink extends WritableStream<CaptureBatch> {
  readonly #target: SingleFileTarget;

  constructor(out: string, opts: ExportSinkOptions = {}) {
    const target = new SingleFileTarget("csv", out);
    super(exportUnderlyingSink(target, opts));
    this.#target = target;
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#target.rows;
  }

  /** What was written; null until the stream has closed successfully. */
  get result(): ExportResult | null {
    return this.#target.result;
  }
}
