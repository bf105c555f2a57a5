/** Scan + result, as `logtap triage` and `logtap report` both run it. */

import type { CaptureInfo } from "../../capture/capture-info.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import { scanCapture, type ScanOptions } from "./scan-capture.ts";
import { buildTriageResult, type TriageResult } from "./triage-result.ts";

export interface TriageRunOptions extends ScanOptions {
  top: number;
}

export interface TriageRun {
  result: TriageResult;
  problems: ReadProblem[];
}

export async function runTriage(capture: CaptureInfo, dir: string, opts: TriageRunOptions): Promise<TriageRun> {
  const scan = await scanCapture(capture.dir, opts);
  const { groups, cappedFrom } = scan.totals.errorGroups();
  if (cappedFrom !== null) {
    // Error lines past the template cap belong to groups nobody counted: how many is not known.
    const had = scan.totals.miner.ungrouped.count > 0 ? `at least ${cappedFrom}` : `${cappedFrom}`;
    opts.onNote?.(`Signatures capped at ${opts.maxSignatures} (had ${had} unique)`);
  }
  const result = buildTriageResult(capture, dir, scan.totals, groups, { bucketSec: opts.bucketSec, top: opts.top });
  if (result.timelineCut > 0) opts.onNote?.(`Timeline capped at 10080 buckets (${result.timelineCut} later ones left out); use a wider --window`);
  return { result, problems: scan.problems };
}
