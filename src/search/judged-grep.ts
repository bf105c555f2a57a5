/**
 * grep's fast path for a pattern of plain literals (case-sensitive or `(?i)`), `--count` or plain JSON output: the reader's stored-line judge
 * decides matches from the stored bytes (on the search workers when there are many frames), so lines are neither
 * parsed nor re-encoded — the stored line is the capture JSON grep prints. Lines the judge is unsure of are parsed,
 * filtered and encoded as the general path would, and printed at their place, so the output is byte-identical.
 */

import type { CaptureReader } from "../capture/reader/capture-reader.ts";
import type { EntryFilter } from "../capture/filters/entry-filter.ts";
import { encodeEntryLine } from "../capture/entry-line.ts";
import { writeStdout } from "../common/stdout.ts";
import type { PlainLiterals } from "../regex/plain-literals.ts";

export interface JudgedGrepResult {
  /** Matches per data file with at least one, in scan order. */
  counts: Map<string, number>;
  matches: number;
}

export async function judgedGrep(reader: CaptureReader, filter: EntryFilter, pattern: PlainLiterals, output: boolean): Promise<JudgedGrepResult> {
  const counts = new Map<string, number>();
  let matches = 0;
  const spec = { literals: pattern.literals, fold: pattern.fold, labels: filter.labels, from: filter.from, to: filter.to, output };
  for await (const b of reader.judged(spec)) {
    let n = b.count;
    const parts: (Uint8Array | string)[] = [];
    let at = 0;
    b.rest.entries.forEach((e, i) => {
      if (!filter.matches(e)) return;
      n++;
      if (!output) return;
      parts.push(b.out!.subarray(at, b.cuts[i]!), encodeEntryLine(e) + "\n");
      at = b.cuts[i]!;
    });
    if (n === 0) continue;
    counts.set(b.file, (counts.get(b.file) ?? 0) + n);
    matches += n;
    if (!output) continue;
    if (parts.length === 0) await writeStdout(b.out!);
    else {
      parts.push(b.out!.subarray(at));
      await writeStdout(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p))));
    }
    // writeStdout resolved: the OS has the bytes.
    b.release();
  }
  return { counts, matches };
}
