/**
 * Recommended windows (upstream §11.4) over the timeline buckets: where errors peak, when new signatures started,
 * and the longest calm stretch. Bucket width is `--window` (upstream always used one minute).
 */

import { formatCount } from "../../common/format.ts";

export interface Window {
  fromSec: number;
  toSec: number;
  description: string;
}

export interface Windows {
  peak_error?: Window;
  incident_start?: Window;
  steady_state?: Window;
}

export interface BucketCounts {
  start: number;
  lines: number;
  errors: number;
}

const PEAK_BUCKETS = 5;
const MIN_STEADY_BUCKETS = 3;

/** "5 minutes" as upstream wrote it for one-minute buckets; seconds when the span is not whole minutes. */
export function spanText(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

export function findWindows(buckets: readonly BucketCounts[], bucketSec: number, firstSeenSecs: readonly number[]): Windows {
  const out: Windows = {};
  const peak = peakWindow(buckets, bucketSec);
  if (peak) out.peak_error = peak;
  const incident = incidentStart(firstSeenSecs, bucketSec);
  if (incident) out.incident_start = incident;
  const steady = steadyState(buckets, bucketSec);
  if (steady) out.steady_state = steady;
  return out;
}

function peakWindow(buckets: readonly BucketCounts[], bucketSec: number): Window | null {
  const w = Math.min(PEAK_BUCKETS, buckets.length);
  if (w === 0) return null;
  let sum = 0;
  for (let i = 0; i < w; i++) sum += buckets[i]!.errors;
  let best = sum;
  let bestAt = 0;
  for (let i = w; i < buckets.length; i++) {
    sum += buckets[i]!.errors - buckets[i - w]!.errors;
    // Strictly greater: the first maximum wins.
    if (sum > best) {
      best = sum;
      bestAt = i - w + 1;
    }
  }
  if (best <= 0) return null;
  return {
    fromSec: buckets[bestAt]!.start,
    toSec: buckets[bestAt + w - 1]!.start + bucketSec,
    description: `${formatCount(best)} errors in ${spanText(w * bucketSec)}`,
  };
}

/** The bucket in which most signatures were first seen; the earliest such bucket on a tie (Q13). */
function incidentStart(firstSeenSecs: readonly number[], bucketSec: number): Window | null {
  const perBucket = new Map<number, number>();
  for (const sec of firstSeenSecs) {
    const start = sec - (((sec % bucketSec) + bucketSec) % bucketSec);
    perBucket.set(start, (perBucket.get(start) ?? 0) + 1);
  }
  let best: [number, number] | null = null;
  for (const [start, n] of perBucket) if (best === null || n > best[1] || (n === best[1] && start < best[0])) best = [start, n];
  if (best === null) return null;
  return { fromSec: best[0], toSec: best[0] + bucketSec, description: `${best[1]} new error signatures first appeared` };
}

function steadyState(buckets: readonly BucketCounts[], bucketSec: number): Window | null {
  if (buckets.length === 0) return null;
  const sorted = buckets.map((b) => b.errors).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  let bestStart = 0;
  let bestLen = 0;
  let runStart = 0;
  for (let i = 0; i <= buckets.length; i++) {
    if (i < buckets.length && buckets[i]!.errors <= median) continue;
    const len = i - runStart;
    if (len > bestLen) {
      bestLen = len;
      bestStart = runStart;
    }
    runStart = i + 1;
  }
  if (bestLen < MIN_STEADY_BUCKETS) return null;
  return {
    fromSec: buckets[bestStart]!.start,
    toSec: buckets[bestStart + bestLen - 1]!.start + bucketSec,
    description: `${spanText(bestLen * bucketSec)} at or below median error rate`,
  };
}
