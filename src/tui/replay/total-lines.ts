/**
 * The replay's "Total" (upstream §5.4): the index's line counts plus a full count of the data files the index does
 * not cover (the active file of a live capture, upstream orphans). Damaged ranges are simply not counted.
 */

import type { IndexEntry } from "../../capture/index-file.ts";
import { EntryFilter } from "../../capture/filters/entry-filter.ts";
import { planCapture, readUnits } from "../../capture/reader/read-plan.ts";

export function totalLines(dir: string, index: readonly IndexEntry[]): number {
  let total = 0;
  for (const e of index) total += e.lines;
  const all = new EntryFilter();
  for (const f of planCapture(dir, all).files) {
    if (f.index) continue;
    for (const unit of readUnits(dir, f, all, () => {})) {
      let bytes: Uint8Array;
      try {
        bytes = unit.compressed ? Bun.zstdDecompressSync(unit.bytes) : unit.bytes;
      } catch {
        continue;
      }
      total += countLines(bytes);
    }
  }
  return total;
}

function countLines(b: Uint8Array): number {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.length);
  let n = 0;
  let at = buf.indexOf(10);
  while (at >= 0) {
    n++;
    at = buf.indexOf(10, at + 1);
  }
  // A last line without a newline (a torn or live tail) still counts if it holds anything.
  if (b.length > 0 && b[b.length - 1] !== 10) n++;
  return n;
}
