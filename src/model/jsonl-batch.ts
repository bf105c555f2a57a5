/** Entries already serialised to capture lines: one byte buffer per batch plus where each line ends. */

import type { Entry } from "./entry.ts";

export interface JsonlBatch {
  entries: Entry[];
  /** Every line of the batch, each terminated by `\n`. */
  bytes: Uint8Array;
  /** `ends[i]` is the byte offset just past line i's newline. */
  ends: Uint32Array;
  /** Present when `bytes` is a pooled buffer: the sink calls it once the bytes are written (they may change after). */
  release?: () => void;
}
