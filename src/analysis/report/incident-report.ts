/**
 * `logtap report` (upstream §12): inspect's summary and triage's result folded into one document with a severity
 * and the commands to run next.
 */

import type { InspectSummary } from "../../capture/inspect/summary.ts";
import { isZeroInstant, parseRfc3339 } from "../../capture/timestamp.ts";
import { grepSignatureCommand, shellQuote, sliceWindowCommand } from "../triage/suggested-commands.ts";
import { outliersJson } from "../triage/timeline-outliers.ts";
import { errorJson, windowsJson, type ErrorSignature, type TriageResult } from "../triage/triage-result.ts";

export type Severity = "high" | "medium" | "low";

/** Case-sensitive, in signatures (upstream's rule): these make an incident serious whatever the error rate. */
const FATAL_MARKERS = ["OOMKilled", "panic", "FATAL", "segfault", "core dumped"];

export function severityOf(topErrors: readonly ErrorSignature[], errorRatePct: number): Severity {
  if (topErrors.some((e) => FATAL_MARKERS.some((m) => e.signature.includes(m)))) return "high";
  if (errorRatePct > 5) return "high";
  if (errorRatePct > 1) return "medium";
  return "low";
}

export interface IncidentReport {
  capture: { dir: string; files: number; entries: number; bytes: number; started: string; stopped: string; duration_seconds: number };
  labels: Record<string, number>;
  triage: {
    total_lines: number;
    error_lines: number;
    error_rate_pct: number;
    top_errors?: ReturnType<typeof errorJson>[];
    windows: ReturnType<typeof windowsJson>;
    /** logtap extension: lines far from the rest, left out of the timeline (only when there are some). */
    outliers?: ReturnType<typeof outliersJson>;
  };
  severity: Severity;
  suggested_commands: string[];
}

function durationSeconds(started: string, stopped: string): number {
  const a = parseRfc3339(started);
  const b = parseRfc3339(stopped);
  if (!a || !b || isZeroInstant(a) || isZeroInstant(b)) return 0;
  return b.sec - a.sec + (b.nsec - a.nsec) / 1e9;
}

export function buildReport(dir: string, inspect: InspectSummary, triage: TriageResult): IncidentReport {
  const m = inspect.capture.metadata;
  const rate = triage.totalLines > 0 ? (triage.errorLines / triage.totalLines) * 100 : 0;
  const commands: string[] = [];
  if (triage.windows.peak_error) commands.push(sliceWindowCommand(dir, triage.windows.peak_error, "./peak-errors"));
  if (triage.errors.length > 0) commands.push(grepSignatureCommand(dir, triage.errors[0]!.signature));
  commands.push(`logtap export ${shellQuote(dir)} --format parquet --out capture.parquet`);
  const labels: Record<string, number> = Object.create(null);
  for (const [key, values] of inspect.labels) labels[key] = values.length;
  return {
    capture: {
      dir,
      files: inspect.files,
      entries: inspect.totalLines,
      bytes: inspect.diskSize,
      started: m.started,
      stopped: m.stopped,
      duration_seconds: durationSeconds(m.started, m.stopped),
    },
    labels,
    triage: {
      total_lines: triage.totalLines,
      error_lines: triage.errorLines,
      error_rate_pct: rate,
      ...(triage.errors.length > 0 ? { top_errors: triage.errors.map(errorJson) } : {}),
      windows: windowsJson(triage.windows),
      ...(triage.outliers ? { outliers: outliersJson(triage.outliers) } : {}),
    },
    severity: severityOf(triage.errors, rate),
    suggested_commands: commands,
  };
}
