/**
 * Clock-skew estimation for `merge --clock-correct` (upstream §14.1): the source with the most lines is the
 * reference; every other source's offset is the median difference of the first-seen times of the error signatures
 * both share, or failing that the difference of the metadata start times. Offsets beyond 60 s are not clock skew
 * (more likely different time ranges) and are not corrected.
 */

import type { ClockCorrection } from "../../capture/copy/merge.ts";
import type { Instant } from "../../capture/timestamp.ts";

export const MAX_SKEW_NS = 60e9;

export interface SkewSource {
  /** How the source is named in reports (the path the user gave). */
  label: string;
  lines: number;
  /** Error signature → earliest timestamp. */
  firstSeen: ReadonlyMap<string, { firstSec: number; firstNsec: number }>;
  /** Metadata start; null when unset (zero). */
  started: Instant | null;
}

export interface OffsetEstimate {
  /** Nanoseconds to add to the source's timestamps. */
  offsetNs: number;
  confidence: number;
  method: ClockCorrection["method"];
}

const diffNs = (aSec: number, aNsec: number, bSec: number, bNsec: number) => (aSec - bSec) * 1e9 + (aNsec - bNsec);

/** The offset that moves `src` onto `ref`'s clock, or null when nothing ties them together. */
export function estimateOffset(ref: SkewSource, src: SkewSource): OffsetEstimate | null {
  const offsets: number[] = [];
  for (const [sig, r] of ref.firstSeen) {
    const s = src.firstSeen.get(sig);
    if (s) offsets.push(diffNs(r.firstSec, r.firstNsec, s.firstSec, s.firstNsec));
  }
  if (offsets.length > 0) {
    offsets.sort((a, b) => a - b);
    // Confidence grows with the number of shared signatures: 1 at five or more, never below 0.5.
    return { offsetNs: offsets[Math.floor(offsets.length / 2)]!, confidence: Math.max(0.5, Math.min(offsets.length / 5, 1)), method: "error_signature" };
  }
  if (ref.started && src.started) {
    return { offsetNs: diffNs(ref.started.sec, ref.started.nsec, src.started.sec, src.started.nsec), confidence: 0.3, method: "metadata_overlap" };
  }
  return null;
}

export interface SkewResult {
  /** Index of the reference source. */
  reference: number;
  /** Per corrected source: its index, the exact offset and the reported record. */
  corrections: { index: number; offsetNs: number; correction: ClockCorrection }[];
  /** Sources whose estimated offset exceeded the limit, with that offset. */
  tooLarge: { index: number; offsetNs: number }[];
}

export function detectSkew(sources: readonly SkewSource[]): SkewResult {
  let reference = 0;
  // Strictly more lines: the first source wins a tie.
  for (let i = 1; i < sources.length; i++) if (sources[i]!.lines > sources[reference]!.lines) reference = i;
  const result: SkewResult = { reference, corrections: [], tooLarge: [] };
  for (let i = 0; i < sources.length; i++) {
    if (i === reference) continue;
    const est = estimateOffset(sources[reference]!, sources[i]!);
    if (est === null) continue;
    if (Math.abs(est.offsetNs) > MAX_SKEW_NS) {
      result.tooLarge.push({ index: i, offsetNs: est.offsetNs });
      continue;
    }
    result.corrections.push({
      index: i,
      offsetNs: est.offsetNs,
      correction: {
        source: sources[i]!.label,
        // Go's Duration.Milliseconds(): truncated toward zero (`|| 0` turns -0 into 0).
        offset_ms: Math.trunc(est.offsetNs / 1e6) || 0,
        confidence: Math.round(est.confidence * 100) / 100,
        method: est.method,
      },
    });
  }
  return result;
}
