/**
 * Counts what an unindexed data file (the active file of a live or crashed capture, or an upstream orphan) holds:
 * every non-empty line and its bytes, and for parseable lines their time range, labels and lines per minute (so a
 * stray timestamp in the active file is found as exactly as one in an indexed frame part).
 */

import type { PlannedFile } from "../reader/read-plan.ts";
import { readUnits } from "../reader/read-plan.ts";
import { decodeEntryLine } from "../entry-line.ts";
import { EntryFilter } from "../filters/entry-filter.ts";
import type { ReadProblem } from "../reader/read-problem.ts";
import { SpanStats } from "../writer/span-stats.ts";

export interface OrphanCounts {
  lines: number;
  /** Bytes of non-empty lines without their newlines (upstream's orphan rule). */
  bytes: number;
  stats: SpanStats;
  /** Minute (seconds since the epoch ÷ 60) → lines and their time range in seconds. */
  minutes: Map<number, { lines: number; fromSec: number; toSec: number }>;
}

const decoder = new TextDecoder();

export function scanOrphan(dir: string, name: string, onProblem: (p: ReadProblem) => void): OrphanCounts {
  const out: OrphanCounts = { lines: 0, bytes: 0, stats: new SpanStats(), minutes: new Map() };
  const file: PlannedFile = { name };
  for (const unit of readUnits(dir, file, new EntryFilter(), onProblem)) {
    let raw: Uint8Array;
    try {
      raw = unit.compressed ? Bun.zstdDecompressSync(unit.bytes) : unit.bytes;
    } catch (e) {
      onProblem({ file: name, offset: unit.offset, kind: "corrupt", detail: `zstd frame does not decode: ${(e as Error).message}` });
      continue;
    }
    let start = 0;
    while (start < raw.length) {
      let end = raw.indexOf(10, start);
      if (end < 0) end = raw.length;
      if (end > start) {
        out.lines++;
        out.bytes += end - start;
        const e = decodeEntryLine(decoder.decode(raw.subarray(start, end)));
        if (e !== null) {
          out.stats.add(e);
          const minute = Math.floor(e.sec / 60);
          const m = out.minutes.get(minute);
          if (m === undefined) out.minutes.set(minute, { lines: 1, fromSec: e.sec, toSec: e.sec });
          else {
            m.lines++;
            if (e.sec < m.fromSec) m.fromSec = e.sec;
            if (e.sec > m.toSec) m.toSec = e.sec;
          }
        }
      }
      start = end + 1;
    }
  }
  return out;
}
