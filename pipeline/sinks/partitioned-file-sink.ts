/** Sink: writes entries into a Hive-partitioned directory (`hour=…/app=…/part-N.<format>`) with bounded open files and memory. */

import type { CaptureBatch } from "../capture-batch.ts";
import type { ExportFormat } from "../../src/export/export-format.ts";
import { exportUnderlyingSink, type ExportResult, type ExportSinkOptions } from "../../src/export/export-target.ts";
import type { PartitionField } from "../../src/export/partition-spec.ts";
import { PartitionedTarget, type PartitionedTargetOptions } from "../../src/export/partitioned-target.ts";

/**
 * @example
 * const sink = new PartitionedFileSink("parquet", "out/", parsePartitionBy("hour,app"));
 * await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeTo(sink);
 * console.log(sink.result); // { rows, bytes, partitions, files }
 */
export class PartitionedFileSink extends WritableStream<CaptureBatch> {
  readonly #target: PartitionedTarget;

  constructor(format: ExportFormat, out: string, fields: PartitionField[], opts: ExportSinkOptions & PartitionedTargetOptions = {}) {
    const target = new PartitionedTarget(format, out, fields, opts);
    super(exportUnderlyingSink(target, opts));
    this.#target = target;
  }

  get rows(): number {
    return this.#target.rows;
  }

  get result(): ExportResult | null {
    return this.#target.result;
  }
}
