/**
 * The two comparisons of `logtap diff` (upstream §13): structural (labels, error signatures, per-minute rates) and
 * baseline (error-rate and volume change, new or worse signatures, a verdict).
 */

import { formatInstant } from "../../capture/timestamp.ts";
import type { CaptureSummary } from "./capture-summary.ts";
import { goFixed0 } from "./go-text.ts";
import { classifyVerdict, errorRate, percentChange, type Verdict } from "./verdict.ts";

export interface ErrorCount {
  pattern: string;
  count: number;
}

export interface RateRow {
  /** Minute start, Unix seconds. */
  minute: number;
  rateA: number;
  rateB: number;
}

export interface StructuralDiff {
  a: CaptureSummary;
  b: CaptureSummary;
  labelsOnlyA: string[];
  labelsOnlyB: string[];
  errorsOnlyA: ErrorCount[];
  errorsOnlyB: ErrorCount[];
  rates: RateRow[];
}

export interface ErrorDelta {
  pattern: string;
  count: number;
  baseline_count: number;
}

export interface BaselineDiff {
  baseline: CaptureSummary;
  current: CaptureSummary;
  errorRateChange: number;
  volumeChange: number;
  newErrorPatterns: ErrorDelta[];
  missingLabels: string[];
  newLabels: string[];
  verdict: Verdict;
  confidence: number;
}

const minus = <T>(list: readonly T[], other: ReadonlySet<T>) => list.filter((x) => !other.has(x));

export function structuralDiff(a: CaptureSummary, b: CaptureSummary): StructuralDiff {
  // Only each side's top-20 list takes part, as upstream: a frequent signature of A that is rare in B counts as "only in A".
  const topA = new Set(a.topErrors.map((e) => e.pattern));
  const topB = new Set(b.topErrors.map((e) => e.pattern));
  const minutes = [...new Set([...a.minutes.keys(), ...b.minutes.keys()])].sort((x, y) => x - y);
  return {
    a,
    b,
    labelsOnlyA: minus(a.labels, new Set(b.labels)),
    labelsOnlyB: minus(b.labels, new Set(a.labels)),
    errorsOnlyA: a.topErrors.filter((e) => !topB.has(e.pattern)),
    errorsOnlyB: b.topErrors.filter((e) => !topA.has(e.pattern)),
    rates: minutes.map((minute) => ({ minute, rateA: a.minutes.get(minute) ?? 0, rateB: b.minutes.get(minute) ?? 0 })),
  };
}

export function baselineDiff(baseline: CaptureSummary, current: CaptureSummary): BaselineDiff {
  const errorRateChange = percentChange(errorRate(baseline.errorLines, baseline.lines), errorRate(current.errorLines, current.lines));
  const volumeChange = percentChange(baseline.lines, current.lines);
  const newErrorPatterns: ErrorDelta[] = [];
  // Every signature of the current capture counts here, not just its top 20.
  for (const { pattern, count } of current.tally.ranked()) {
    const base = baseline.tally.signatures.get(pattern)?.count ?? 0;
    if (base === 0 || count > 2 * base) newErrorPatterns.push({ pattern, count, baseline_count: base });
  }
  const { verdict, confidence } = classifyVerdict(errorRateChange, volumeChange, newErrorPatterns.length > 0);
  return {
    baseline,
    current,
    errorRateChange,
    volumeChange,
    newErrorPatterns,
    missingLabels: minus(baseline.labels, new Set(current.labels)),
    newLabels: minus(current.labels, new Set(baseline.labels)),
    verdict,
    confidence,
  };
}

/** `+900%`, `+0%`, `-20%` (Go `%.0f`). */
export function formatPercentChange(pct: number): string {
  return pct >= 0 ? `+${goFixed0(pct)}%` : `${goFixed0(pct)}%`;
}

/** Minute start as RFC3339 in UTC, the JSON form of a rate row. */
export function minuteText(minute: number): string {
  return formatInstant(minute, 0);
}
