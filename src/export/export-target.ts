/**
 * What an export sink writes into: a single file or a partitioned directory. Targets write under a temporary name
 * and promote it on close; any failure (a write error, an abort) removes what was written.
 */

import type { Entry } from "../model/entry.ts";
import type { PatternedBatch, RowPattern } from "../model/patterned-batch.ts";
import type { ExportFormat } from "./export-format.ts";
import { AtomicOutput } from "./output-path.ts";
import type { RowFileWriter } from "./row-file.ts";
import { openRowFileWriter } from "./row-file-writer.ts";

export interface ExportResult {
  /** Rows written (after filtering). */
  rows: number;
  /** Bytes on disk: the file, or every file of a partitioned directory. */
  bytes: number;
  /** Partition directories (partitioned output only). */
  partitions?: number;
  /** Data files written. */
  files: number;
}

export interface ExportTarget {
  readonly rows: number;
  /** What was written; null until close() has succeeded. */
  readonly result: ExportResult | null;
  /** `patterns` parallel to `entries` when the target writes the pattern columns. */
  add(entries: readonly Entry[], patterns?: readonly (RowPattern | null)[]): void;
  /** Finishes every file and moves the output into place. */
  close(): ExportResult;
  /** Removes everything written so far. */
  abort(): void;
}

export interface ExportSinkOptions {
  /** Called after each batch with the rows written so far (progress display). */
  onRows?: (rows: number) => void;
}

/** The underlying sink shared by every export sink: a failure anywhere leaves no output behind. */
export function exportUnderlyingSink(target: ExportTarget, opts: ExportSinkOptions = {}): UnderlyingSink<PatternedBatch> {
  const guarded = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      target.abort();
      throw e;
    }
  };
  return {
    write(batch) {
      guarded(() => target.add(batch.entries, batch.patterns));
      opts.onRows?.(target.rows);
    },
    close() {
      guarded(() => target.close());
    },
    abort() {
      target.abort();
    },
  };
}

/** One file of one format at `out`. */
export class SingleFileTarget implements ExportTarget {
  readonly #output: AtomicOutput;
  readonly #writer: RowFileWriter;
  #rows = 0;
  #result: ExportResult | null = null;

  constructor(format: ExportFormat, out: string, opts: { withPattern?: boolean } = {}) {
    this.#output = new AtomicOutput(out, "file");
    try {
      this.#writer = openRowFileWriter(format, this.#output.tempPath, { withPattern: opts.withPattern });
    } catch (e) {
      this.#output.abort();
      throw e;
    }
  }

  get rows(): number {
    return this.#rows;
  }

  /** Available once the sink has closed. */
  get result(): ExportResult | null {
    return this.#result;
  }

  add(entries: readonly Entry[], patterns?: readonly (RowPattern | null)[]): void {
    this.#writer.add(entries, patterns);
    this.#rows += entries.length;
  }

  close(): ExportResult {
    const bytes = this.#writer.close();
    this.#output.commit();
    this.#result = { rows: this.#rows, bytes, files: 1 };
    return this.#result;
  }

  abort(): void {
    this.#writer.discard();
    this.#output.abort();
  }
}
