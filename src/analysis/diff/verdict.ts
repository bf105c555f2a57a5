/** The baseline verdict of `logtap diff --baseline` (upstream §13.2): a fixed rule table, first match wins. */

export type Verdict = "improvement" | "regression" | "different" | "stable";

export const VERDICTS: readonly Verdict[] = ["improvement", "regression", "different", "stable"];

/**
 * @param errorRateChange E: error-rate change in percent
 * @param volumeChange V: line-volume change in percent
 * @param newPatterns P: whether new or more-than-doubled error signatures exist
 * @example classifyVerdict(900, 0, true) // { verdict: "regression", confidence: 0.95 }
 */
export function classifyVerdict(errorRateChange: number, volumeChange: number, newPatterns: boolean): { verdict: Verdict; confidence: number } {
  const e = errorRateChange;
  const absE = Math.abs(e);
  const absV = Math.abs(volumeChange);
  if (e < -20) return { verdict: "improvement", confidence: e < -50 ? 0.9 : 0.7 };
  if (e > 50 && newPatterns) return { verdict: "regression", confidence: e > 200 ? 0.95 : e > 100 ? 0.85 : 0.7 };
  if (absV > 50 && absE <= 50) return { verdict: "different", confidence: 0.6 };
  if (e > 50 && !newPatterns) return { verdict: "different", confidence: 0.5 };
  if (absE <= 20 && !newPatterns) return { verdict: "stable", confidence: absE <= 5 ? 0.95 : 0.8 };
  if (newPatterns) return { verdict: "different", confidence: 0.5 };
  return { verdict: "stable", confidence: 0.5 };
}

/** 0 when both are 0, +100 from nothing to something, else the relative change in percent. */
export function percentChange(before: number, after: number): number {
  if (before === 0) return after === 0 ? 0 : 100;
  return ((after - before) / before) * 100;
}

/** Error lines as a percentage of all lines (0 for an empty capture). */
export function errorRate(errorLines: number, lines: number): number {
  return lines === 0 ? 0 : (errorLines / lines) * 100;
}
