/** One output file of an export, whatever its format: rows in, bytes on disk, closed exactly once. */

import type { Entry } from "../model/entry.ts";
import type { RowPattern } from "../model/patterned-batch.ts";

export interface RowFileWriter {
  readonly path: string;
  /** `patterns` (parallel to `entries`) fills the pattern columns of a writer opened with them. */
  add(entries: readonly Entry[], patterns?: readonly (RowPattern | null)[]): void;
  /** Memory held for rows not yet on disk (approximate bytes). */
  readonly bufferedBytes: number;
  /** Writes buffered rows out (a row group for Parquet). */
  flushRowGroup(): void;
  /** Finishes the file and returns its size in bytes. */
  close(): number;
  /** Releases the file without finishing it (it is about to be deleted). */
  discard(): void;
}
