/**
 * The mining pass over a capture, as `logtap patterns` runs it and as the first pass of `export --with-pattern`:
 * `capture-source → filter-entries → mine-patterns`, then the final patterns.
 */

import type { EntryFilter } from "../../capture/filters/entry-filter.ts";
import { CaptureReader } from "../../capture/reader/capture-reader.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import type { PrefilterRegExp } from "../../regex/required-literals.ts";
import type { Entry } from "../../model/entry.ts";
import { captureSource } from "../../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../../pipeline/stages/filter-entries.ts";
import { MinePatternsStream } from "../../../pipeline/stages/mine-patterns.ts";
import { MinedPatterns } from "./finish.ts";
import { PatternMiner } from "./miner.ts";

export interface MineCaptureOptions {
  filter: EntryFilter;
  rawPrefilter?: PrefilterRegExp;
  maxTemplates: number;
  /** Mine only these entries (the others are read and passed over). */
  select?: (e: Entry) => boolean;
  onProblem?: (p: ReadProblem) => void;
  /** Entries read so far, after each batch (progress). */
  onEntries?: (n: number) => void;
  signal?: AbortSignal;
}

export async function mineCapture(dir: string, opts: MineCaptureOptions): Promise<{ mined: MinedPatterns; problems: ReadProblem[] }> {
  const miner = new PatternMiner(opts.maxTemplates);
  const reader = new CaptureReader(dir, { filter: opts.filter, rawPrefilter: opts.rawPrefilter, onProblem: opts.onProblem });
  let entries = 0;
  await captureSource(reader)
    .pipeThrough(new FilterEntriesStream(opts.filter))
    .pipeThrough(new MinePatternsStream(miner, opts.select))
    .pipeTo(
      new WritableStream({
        write(batch) {
          entries += batch.entries.length;
          opts.onEntries?.(entries);
        },
      }),
      { signal: opts.signal },
    );
  return { mined: new MinedPatterns(miner), problems: reader.stats.problems };
}
