/** A full read of a capture into an ErrorTally, through the common reader (damage reported, reading goes on). */

import type { Entry } from "../../model/entry.ts";
import { captureSource } from "../../../pipeline/sources/capture-source.ts";
import { CaptureReader } from "../../capture/reader/capture-reader.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import { ErrorTally } from "./error-tally.ts";

export interface TallyOptions {
  /** Called for every entry after it is counted (diff adds its per-minute rates here). */
  onEntry?: (e: Entry) => void;
  onProblem?: (p: ReadProblem) => void;
}

/**
 * @example
 * const { tally, problems } = await tallyCapture("./capture", { onProblem: printProblem });
 */
export async function tallyCapture(dir: string, opts: TallyOptions = {}): Promise<{ tally: ErrorTally; problems: ReadProblem[] }> {
  const tally = new ErrorTally();
  const reader = new CaptureReader(dir, { onProblem: opts.onProblem });
  const onEntry = opts.onEntry;
  for await (const batch of captureSource(reader)) {
    for (const e of batch.entries) {
      tally.add(e);
      onEntry?.(e);
    }
  }
  return { tally, problems: reader.stats.problems };
}
