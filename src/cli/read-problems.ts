/**
 * How reading commands report damage: one `warning:` line per problem on stderr as it is found, and with
 * `--strict` a corrupt frame fails the command (exit 1) once reading is done. A torn tail (live or crashed file)
 * is never an error.
 */

import type { ReadProblem } from "../capture/reader/read-problem.ts";
import { CliError, EXIT } from "../common/errors.ts";

export const strictArg = {
  strict: { type: "boolean", description: "fail (exit 1) if any data is corrupt instead of skipping it with a warning" },
} as const;

export function formatProblem(p: ReadProblem): string {
  return `warning: ${p.file} offset ${p.offset}: ${p.detail}${p.kind === "corrupt" ? " (skipped)" : ""}`;
}

export function printProblem(p: ReadProblem): void {
  process.stderr.write(formatProblem(p) + "\n");
}

/** One phrase for summaries, e.g. "skipped 2 corrupt frames"; empty when nothing was skipped. */
export function problemSummary(problems: readonly ReadProblem[]): string {
  const corrupt = problems.filter((p) => p.kind === "corrupt").length;
  const torn = problems.length - corrupt;
  const parts: string[] = [];
  if (corrupt > 0) parts.push(`skipped ${corrupt} corrupt ${corrupt === 1 ? "range" : "ranges"}`);
  if (torn > 0) parts.push(`skipped ${torn} incomplete ${torn === 1 ? "tail" : "tails"}`);
  return parts.join(", ");
}

export function failIfStrict(strict: boolean | undefined, problems: readonly ReadProblem[]): void {
  const corrupt = problems.filter((p) => p.kind === "corrupt");
  if (strict && corrupt.length > 0) {
    throw new CliError(`corrupt data in ${corrupt[0]!.file} at offset ${corrupt[0]!.offset} (--strict)`, EXIT.internal);
  }
}
