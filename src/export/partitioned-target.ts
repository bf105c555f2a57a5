/**
 * A Hive-partitioned export directory (see partition-spec.ts for the layout) written with bounded memory:
 *
 * - at most `maxOpen` partition files are open at once (least recently used is closed first). A JSONL/CSV file
 *   that is closed and needed again is appended to; a Parquet file cannot be, so the partition gets its next
 *   `part-N.parquet`. Time-ordered captures partitioned by hour close each hour once and never reopen it.
 * - the rows buffered for Parquet row groups across all open files stay under `maxBufferedBytes`: when the sum
 *   exceeds it, the fullest writer flushes its row group early.
 */

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Entry } from "../model/entry.ts";
import type { RowPattern } from "../model/patterned-batch.ts";
import { DIR_MODE } from "../capture/file-modes.ts";
import { formatExtension, type ExportFormat } from "./export-format.ts";
import { AtomicOutput } from "./output-path.ts";
import { PartitionPaths, type PartitionField } from "./partition-spec.ts";
import type { RowFileWriter } from "./row-file.ts";
import { canAppend, openRowFileWriter } from "./row-file-writer.ts";
import type { ExportResult, ExportTarget } from "./export-target.ts";

export const DEFAULT_MAX_OPEN = 64;
export const DEFAULT_MAX_BUFFERED_BYTES = 32 << 20;
// Per open JSONL/CSV file; 64 open files buffer at most 16 MiB.
const TEXT_BUFFER_BYTES = 256 << 10;

interface Partition {
  dir: string;
  /** Index of the file being (or last) written: part-N. */
  part: number;
  writer: RowFileWriter | null;
  /** Size of the current part when it was last closed (JSONL/CSV reopen by appending). */
  closedSize: number;
  /** Bytes of parts that are finished for good. */
  finishedBytes: number;
  files: number;
}

export interface PartitionedTargetOptions {
  maxOpen?: number;
  maxBufferedBytes?: number;
  rowGroupRows?: number;
  /** Write the `pattern` and `pattern_id` columns (`--with-pattern`). */
  withPattern?: boolean;
}

export class PartitionedTarget implements ExportTarget {
  readonly #format: ExportFormat;
  readonly #output: AtomicOutput;
  readonly #paths: PartitionPaths;
  readonly #maxOpen: number;
  readonly #maxBuffered: number;
  readonly #rowGroupRows?: number;
  readonly #withPattern: boolean;
  readonly #partitions = new Map<string, Partition>();
  /** Open partitions, least recently used first. */
  readonly #open = new Map<string, Partition>();
  #rows = 0;
  #result: ExportResult | null = null;

  constructor(format: ExportFormat, out: string, fields: PartitionField[], opts: PartitionedTargetOptions = {}) {
    this.#format = format;
    this.#paths = new PartitionPaths(fields);
    this.#maxOpen = Math.max(1, opts.maxOpen ?? DEFAULT_MAX_OPEN);
    this.#maxBuffered = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.#rowGroupRows = opts.rowGroupRows;
    this.#withPattern = opts.withPattern === true;
    this.#output = new AtomicOutput(out, "directory");
  }

  get rows(): number {
    return this.#rows;
  }

  get result(): ExportResult | null {
    return this.#result;
  }

  add(entries: readonly Entry[], patterns?: readonly (RowPattern | null)[]): void {
    // Consecutive entries nearly always share a partition: hand them over in runs, not one by one.
    let runStart = 0;
    let runPath = "";
    const run = (from: number, to: number) =>
      this.#writerFor(runPath).add(from === 0 && to === entries.length ? entries : entries.slice(from, to), patterns === undefined ? undefined : patterns.slice(from, to));
    for (let i = 0; i < entries.length; i++) {
      const path = this.#paths.pathOf(entries[i]!);
      if (i === 0) runPath = path;
      else if (path !== runPath) {
        run(runStart, i);
        runStart = i;
        runPath = path;
      }
    }
    if (entries.length > 0) run(runStart, entries.length);
    this.#rows += entries.length;
    this.#limitBuffers();
  }

  close(): ExportResult {
    let bytes = 0;
    let files = 0;
    for (const p of this.#partitions.values()) {
      if (p.writer !== null) this.#closeWriter(p);
      bytes += p.finishedBytes + p.closedSize;
      files += p.files;
    }
    this.#open.clear();
    this.#output.commit();
    this.#result = { rows: this.#rows, bytes, partitions: this.#partitions.size, files };
    return this.#result;
  }

  abort(): void {
    for (const p of this.#open.values()) p.writer?.discard();
    this.#open.clear();
    this.#output.abort();
  }

  #writerFor(path: string): RowFileWriter {
    let p = this.#partitions.get(path);
    if (p === undefined) {
      p = { dir: join(this.#output.tempPath, path), part: 0, writer: null, closedSize: 0, finishedBytes: 0, files: 0 };
      mkdirSync(p.dir, { recursive: true, mode: DIR_MODE });
      this.#partitions.set(path, p);
    }
    if (p.writer !== null) {
      // Most recently used goes last.
      this.#open.delete(path);
      this.#open.set(path, p);
      return p.writer;
    }
    while (this.#open.size >= this.#maxOpen) {
      const [oldestPath, oldest] = this.#open.entries().next().value!;
      this.#open.delete(oldestPath);
      this.#closeWriter(oldest);
    }
    const reopen = p.files > 0;
    if (reopen && !canAppend(this.#format)) {
      p.finishedBytes += p.closedSize;
      p.closedSize = 0;
      p.part++;
    }
    const file = join(p.dir, `part-${p.part}${formatExtension(this.#format)}`);
    const append = reopen && canAppend(this.#format);
    p.writer = openRowFileWriter(this.#format, file, {
      appendAt: append ? p.closedSize : undefined,
      bufferBytes: TEXT_BUFFER_BYTES,
      parquet: { rowGroupRows: this.#rowGroupRows },
      withPattern: this.#withPattern,
    });
    if (!append) p.files++;
    this.#open.set(path, p);
    return p.writer;
  }

  #closeWriter(p: Partition): void {
    const w = p.writer!;
    p.writer = null;
    p.closedSize = w.close();
  }

  #limitBuffers(): void {
    for (;;) {
      let total = 0;
      let fullest: RowFileWriter | null = null;
      for (const p of this.#open.values()) {
        const b = p.writer!.bufferedBytes;
        total += b;
        if (fullest === null || b > fullest.bufferedBytes) fullest = p.writer;
      }
      if (total <= this.#maxBuffered || fullest === null || fullest.bufferedBytes === 0) return;
      fullest.flushRowGroup();
    }
  }
}
