/** `logtap gc`: scan, select, and (unless a dry run) delete capture directories. */

import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { METADATA_FILE } from "../../capture/data-files.ts";
import { fsErrorText, isNotFound } from "../fs-error-text.ts";
import { scanCaptures } from "./scan.ts";
import { selectDeletions, type GcDeletion, type GcRules } from "./select.ts";

export interface GcResult {
  captureCount: number;
  totalBytes: number;
  dryRun: boolean;
  nowMs: number;
  deletions: GcDeletion[];
}

export function collectGarbage(root: string, rules: GcRules, dryRun: boolean): GcResult {
  const captures = scanCaptures(root);
  const deletions = selectDeletions(captures, rules);
  const result = { captureCount: captures.length, totalBytes: captures.reduce((s, c) => s + c.sizeBytes, 0), dryRun, nowMs: rules.nowMs, deletions };
  if (dryRun) return result;
  for (const d of deletions) {
    // Re-checked right before deleting: a directory that stopped being a capture since the scan is left alone.
    try {
      statSync(join(d.dir, METADATA_FILE));
    } catch (e) {
      if (isNotFound(e)) continue;
      throw new Error(`check metadata: ${fsErrorText("stat", join(d.dir, METADATA_FILE), e)}`);
    }
    try {
      rmSync(d.dir, { recursive: true, force: true });
    } catch (e) {
      throw new Error(`delete ${d.dir}: ${fsErrorText("remove", d.dir, e)}`);
    }
  }
  return result;
}
