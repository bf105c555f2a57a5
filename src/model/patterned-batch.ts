/** Entries with the log pattern each belongs to (`export --with-pattern`), parallel to `entries`. */

import type { CaptureBatch } from "./capture-batch.ts";

export interface RowPattern {
  /** The template text, variable parts as masks or `<*>`. */
  text: string;
  /** Short hash of the text: the id `logtap patterns --json` prints. */
  id: string;
}

export interface PatternedBatch extends CaptureBatch {
  /** null for an entry the miner left ungrouped (its template cap was reached). */
  patterns?: (RowPattern | null)[];
}
