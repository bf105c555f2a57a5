/** Opens and summarises one side of a diff; failures name the side (`capture A: …`, `baseline: …`) as upstream does. */

import { openCaptureDir } from "../../capture/capture-info.ts";
import { CliError } from "../../common/errors.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import { summarizeCapture, type CaptureSummary } from "./capture-summary.ts";

/** The same error with `<side>: ` in front; the exit code (our kind or the errno) is kept. */
function named(side: string, e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  if (e instanceof CliError) return new CliError(`${side}: ${e.message}`, e.exitCode);
  const out = new Error(`${side}: ${e.message}`) as NodeJS.ErrnoException;
  out.code = (e as NodeJS.ErrnoException).code;
  return out;
}

export async function loadSide(dir: string, side: string, onProblem?: (p: ReadProblem) => void): Promise<{ summary: CaptureSummary; problems: ReadProblem[] }> {
  try {
    return await summarizeCapture(openCaptureDir(dir), dir, onProblem);
  } catch (e) {
    throw named(side, e);
  }
}
