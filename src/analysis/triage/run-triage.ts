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
  if (scan.cappedFrom !== null) {
    const had = scan.totals.pruned ? `at least ${scan.cappedFrom}` : `${scan.cappedFrom}`;
    opts.onNote?.(`Signatures capped at ${opts.maxSignatures} (had ${had} unique)`);
  }
  const result = buildTriageResult(capture, dir, scan.totals, { bucketSec: opts.bucketSec, top: opts.top });
  if (result.timelineCut > 0) opts.onNote?.(`Timeline capped at 10080 buckets (${result.timelineCut} later ones left out); use a wider --window`);
  return { result, problems: scan.problems };
}
