/**
 * `open --inject --inject-out <dir>` (upstream §6): the filtered, fault-injected replay written to a new capture
 * instead of being shown, and the summary of what changed.
 */

import { UsageError } from "../../common/errors.ts";
import type { CaptureInfo } from "../../capture/capture-info.ts";
import { writeDerivedCapture } from "../../../pipeline/sinks/derived-capture.ts";
import { checkOutputDir, discardOutput } from "../../capture/copy/output-dir.ts";
import { realPathOf } from "../../common/real-path.ts";
import type { EntryFilter } from "../../capture/filters/entry-filter.ts";
import { CaptureReader } from "../../capture/reader/capture-reader.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import type { PrefilterRegExp } from "../../regex/required-literals.ts";
import { captureSource } from "../../../pipeline/sources/capture-source.ts";
import { FilterEntriesStream } from "../../../pipeline/stages/filter-entries.ts";
import { InjectFaultsStream } from "../../../pipeline/stages/inject-faults.ts";
import type { Injector } from "./injector.ts";

export interface InjectOutSummary {
  source: string;
  output: string;
  original_lines: number;
  /** total − original: negative when service-down removed more than error-spike added. */
  injected_lines: number;
  total_lines: number;
  faults_applied: number;
}

export interface InjectOutOptions {
  capture: CaptureInfo;
  /** Source and output paths as the user gave them (the summary repeats them). */
  source: string;
  output: string;
  filter: EntryFilter;
  rawPrefilter?: PrefilterRegExp;
  injector: Injector;
  faults: number;
  onProblem?: (p: ReadProblem) => void;
}

export async function injectToCapture(o: InjectOutOptions): Promise<{ summary: InjectOutSummary; problems: ReadProblem[] }> {
  if (realPathOf(o.output) === realPathOf(o.capture.dir)) throw new UsageError("source and destination cannot be the same");
  const out = checkOutputDir(o.output, [o.capture.dir]);
  const reader = new CaptureReader(o.capture.dir, { filter: o.filter, rawPrefilter: o.rawPrefilter, onProblem: o.onProblem });
  const inject = new InjectFaultsStream(o.injector);
  try {
    await writeDerivedCapture(captureSource(reader).pipeThrough(new FilterEntriesStream(o.filter)).pipeThrough(inject), out.path, {
      prefix: "injected",
      source: o.capture.metadata,
    });
  } catch (e) {
    discardOutput(out);
    throw e;
  }
  const { original, total } = inject.counts;
  return {
    summary: { source: o.source, output: o.output, original_lines: original, injected_lines: total - original, total_lines: total, faults_applied: o.faults },
    problems: reader.stats.problems,
  };
}

export function injectOutText(s: InjectOutSummary): string {
  return (
    `Injected ${s.faults_applied} faults into ${s.source}\n` +
    `Original: ${s.original_lines} lines, Injected: ${s.injected_lines} lines, Total: ${s.total_lines} lines\n` +
    `Output: ${s.output}\n`
  );
}
