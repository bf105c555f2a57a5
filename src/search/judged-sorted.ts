/**
 * grep's sorted output — `--format text` or `--sort` — for a pattern of plain literals, from the judged reads: the
 * judge (on the search workers) decides the matches, hands back the matching lines as stored (in the canonical form
 * logtap writes) and tells of each what it read on the way — time, message bounds, service (the judge's `facts`) —
 * so no line is read again here; each is printed from its stored bytes (text-line-printer.ts,
 * json-line-printer.ts) instead of from a parsed entry. The lines the judge is unsure of come as entries and are
 * printed the general way. Output is byte-identical to the general path: the hits sorted by time (stable: scan order
 * breaks ties), and as text the bracketed service padded to the widest printed. At 15–50 % selectivity the general
 * path spent a third of its time in JSON.parse (docs/benchmarks.md, Read matrix).
 *
 * Hits are printed as soon as the index allows (sorted-output.ts).
 */

import type { CaptureReader } from "../capture/reader/capture-reader.ts";
import type { EntryFilter } from "../capture/filters/entry-filter.ts";
import type { PlainLiterals } from "../regex/plain-literals.ts";
import { FACT_FIELDS, FACT_LINE, FACT_MSG_END, FACT_MSG_START, FACT_NSEC, FACT_SEC, FACT_SERVICE } from "../capture/reader/stored-line-judge.ts";
import type { PendingHits } from "./pending-hits.ts";
import { SortedOutput } from "./sorted-output.ts";
import type { JudgedGrepResult } from "./judged-grep.ts";

export async function judgedSortedGrep(reader: CaptureReader, filter: EntryFilter, pattern: PlainLiterals, format: "text" | "json"): Promise<JudgedGrepResult> {
  const counts = new Map<string, number>();
  const output = new SortedOutput(format, filter.labels);
  const hits = output.hits;
  let matches = 0;
  const spec = { literals: pattern.literals, fold: pattern.fold, labels: filter.labels, from: filter.from, to: filter.to, output: true, facts: true };
  for await (const b of reader.judged(spec, output.planned)) {
    const before = hits.length;
    const stored = b.out && b.out.length > 0 ? new StoredHits(hits, b.out, b.facts!, b.services!, b.release) : null;
    b.rest.entries.forEach((e, i) => {
      stored?.addBefore(b.cuts[i]!);
      if (filter.matches(e)) hits.addEntry(e);
    });
    stored?.addBefore(Infinity);
    const n = hits.length - before;
    if (n > 0) counts.set(b.file, (counts.get(b.file) ?? 0) + n);
    matches += n;
    await output.afterBatch(b.laterFrom);
  }
  await output.finish();
  return { counts, matches };
}

/** One frame's judged lines, added to the hits in `out` order from the judge's facts (judge-frame.ts). */
class StoredHits {
  readonly #hits: PendingHits;
  readonly #facts: Float64Array;
  readonly #frame: number;
  readonly #end: number;
  readonly #services: number[];
  #next = 0;

  constructor(hits: PendingHits, out: Uint8Array, facts: Float64Array, services: readonly string[], release: () => void) {
    this.#hits = hits;
    this.#facts = facts;
    this.#end = out.length;
    this.#frame = hits.addFrame(Buffer.from(out.buffer, out.byteOffset, out.length), release);
    this.#services = services.map((s) => hits.serviceId(s));
  }

  /** The lines that start before offset `cut` of the frame's output, not added yet. */
  addBefore(cut: number): void {
    const f = this.#facts;
    for (; this.#next < f.length && f[this.#next + FACT_LINE]! < cut; this.#next += FACT_FIELDS) {
      const g = this.#next;
      // The lines of `out` follow each other, each with its newline.
      const newline = (g + FACT_FIELDS < f.length ? f[g + FACT_FIELDS + FACT_LINE]! : this.#end) - 1;
      const service = this.#services[f[g + FACT_SERVICE]!]!;
      this.#hits.push(f[g + FACT_SEC]!, f[g + FACT_NSEC]!, service, this.#frame, f[g + FACT_LINE]!, newline, f[g + FACT_MSG_START]!, f[g + FACT_MSG_END]!);
    }
  }
}
