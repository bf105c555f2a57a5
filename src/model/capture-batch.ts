/** Entries read from a capture, with the data file they came from and, when asked for, their original line text. */

import type { EntryBatch } from "./entry.ts";
import type { Instant } from "../capture/timestamp.ts";

export interface CaptureBatch extends EntryBatch {
  file: string;
  /** The line as stored, parallel to `entries` (for byte-for-byte copies). */
  raws?: string[];
  /** From a capture reader: no line of a later batch is earlier than this (its index's frame times); null: unknown. */
  laterFrom?: Instant | null;
}
