/** The numeric flags of triage and report, with upstream's rule that zero or less means "the default". */

import { availableParallelism } from "node:os";
import { UsageError } from "../../common/errors.ts";
import { parseDurationFlag } from "../../common/values/duration.ts";

/** The flags triage and report share. */
export const scanArgs = {
  jobs: { type: "string", description: "scanning threads (default: number of CPUs; 1 = main thread only, N = main thread + N-1 workers)" },
  top: { type: "string", description: "error signatures to list" },
} as const;

function intFlag(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UsageError(`invalid --${flag}: "${text}" is not a whole number`);
  const n = Number(text);
  return n <= 0 ? fallback : n;
}

/** Parallel scan workers; default (and for ≤ 0) the number of CPUs. */
export function jobsFlag(text: string | undefined): number {
  return Math.min(64, intFlag("jobs", text, availableParallelism()));
}

export function countFlag(flag: string, text: string | undefined, fallback: number): number {
  return intFlag(flag, text, fallback);
}

/** `--window`: the timeline bucket width in whole seconds (upstream parsed it and always used one minute — Q12). */
export function bucketWidthFlag(text: string | undefined): number {
  const ms = parseDurationFlag("window", text ?? "1m");
  if (ms < 1000 || ms % 1000 !== 0) throw new UsageError(`invalid --window: "${text}" must be a whole number of seconds, at least 1s`);
  return ms / 1000;
}
