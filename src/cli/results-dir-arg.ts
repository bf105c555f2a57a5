/**
 * `--out` of the commands that write their results as a few files into a directory (triage, report): required
 * unless `--json`, and not a path that already is something other than a directory — checked before the capture is
 * read, so the mistake costs nothing (it used to surface after the whole scan, as `EEXIST … mkdir`).
 */

import { statSync } from "node:fs";
import { UsageError } from "../common/errors.ts";

export function resultsDirArg(out: string | undefined, json: boolean): void {
  if (json) return;
  if (!out) throw new UsageError("--out is required (or use --json for stdout)");
  const st = statSync(out, { throwIfNoEntry: false });
  if (st !== undefined && !st.isDirectory()) throw new UsageError(`--out ${out} exists and is not a directory`);
}
