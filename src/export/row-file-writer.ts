/** Opens an export's output file by format: JSONL and CSV as text records (TextFileWriter), Parquet in row groups. */

import type { Entry } from "../model/entry.ts";
import type { RowPattern } from "../model/patterned-batch.ts";
import { CSV_HEADER, CSV_HEADER_WITH_PATTERN, csvRecord, csvRecordWithPattern } from "./csv-record.ts";
import type { ExportFormat } from "./export-format.ts";
import { FileBytes } from "./file-bytes.ts";
import { exportJsonLine, exportJsonLineWithPattern } from "./jsonl-line.ts";
import { ParquetFileWriter, type ParquetFileWriterOptions } from "./parquet-file-writer.ts";
import type { RowFileWriter } from "./row-file.ts";

/** JSONL and CSV: one text record per entry. */
export class TextFileWriter implements RowFileWriter {
  readonly #file: FileBytes;
  readonly #record: (e: Entry, pattern: RowPattern | null) => string;

  /** `record` is given each entry's pattern, or null when the writer has no pattern columns (or the line none). */
  constructor(path: string, record: (e: Entry, pattern: RowPattern | null) => string, opts: { header?: string; appendAt?: number; bufferBytes?: number } = {}) {
    this.#file = new FileBytes(path, { append: opts.appendAt !== undefined, appendAt: opts.appendAt, bufferBytes: opts.bufferBytes });
    this.#record = record;
    if (opts.header !== undefined && opts.appendAt === undefined) this.#file.writeString(opts.header);
  }

  get path(): string {
    return this.#file.path;
  }

  get bufferedBytes(): number {
    return this.#file.bufferedBytes;
  }

  add(entries: readonly Entry[], patterns?: readonly (RowPattern | null)[]): void {
    const record = this.#record;
    let chunk = "";
    for (let i = 0; i < entries.length; i++) {
      chunk += record(entries[i]!, patterns === undefined ? null : patterns[i]!);
      if (chunk.length >= 64 << 10) {
        this.#file.writeString(chunk);
        chunk = "";
      }
    }
    if (chunk !== "") this.#file.writeString(chunk);
  }

  flushRowGroup(): void {
    this.#file.flush();
  }

  close(): number {
    return this.#file.close();
  }

  discard(): void {
    this.#file.discard();
  }
}

export interface OpenRowFileOptions {
  /** Continue a JSONL/CSV file of this size instead of creating it (no second CSV header). */
  appendAt?: number;
  bufferBytes?: number;
  parquet?: ParquetFileWriterOptions;
  /** Write the `pattern` and `pattern_id` columns (`--with-pattern`). */
  withPattern?: boolean;
}

export function openRowFileWriter(format: ExportFormat, path: string, opts: OpenRowFileOptions = {}): RowFileWriter {
  switch (format) {
    case "jsonl":
      return new TextFileWriter(path, opts.withPattern ? exportJsonLineWithPattern : exportJsonLine, opts);
    case "csv":
      return new TextFileWriter(path, opts.withPattern ? csvRecordWithPattern : csvRecord, { ...opts, header: opts.withPattern ? CSV_HEADER_WITH_PATTERN : CSV_HEADER });
    case "parquet":
      return new ParquetFileWriter(path, { ...opts.parquet, withPattern: opts.withPattern });
  }
}

/** Whether a closed file of this format can be continued by appending (row formats yes, Parquet no). */
export function canAppend(format: ExportFormat): boolean {
  return format !== "parquet";
}
