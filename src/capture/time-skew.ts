/**
 * Which entry timestamps are far from the moment they arrived. Loki rejects such entries by default: older than
 * `reject_old_samples_max_age` (168h) or newer than `creation_grace_period` (10m) allows. logtap mirrors, it does not
 * judge, so it keeps them; these limits only decide what the receiver counts as skewed (metrics, status line, audit)
 * and where inspect distrusts an index time range (docs/time-outliers.md).
 */

/** Loki's default `reject_old_samples_max_age`. */
export const SKEW_MAX_AGE_SEC = 168 * 3600;
/** Loki's default `creation_grace_period`. */
export const SKEW_GRACE_SEC = 10 * 60;

/** Entries older or newer than these (seconds since the epoch) are skewed for something that arrived at `nowSec`. */
export function skewLimits(nowSec: number): { oldBefore: number; futureAfter: number } {
  return { oldBefore: nowSec - SKEW_MAX_AGE_SEC, futureAfter: nowSec + SKEW_GRACE_SEC };
}
