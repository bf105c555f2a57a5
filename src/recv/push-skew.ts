/**
 * The entries of a push whose timestamps are skewed against their arrival (src/capture/time-skew.ts: more than a
 * week old or ten minutes ahead, what Loki would reject). They are kept; counting them — per push in the audit trail,
 * in total in /metrics and the status line — lets the user see a wrong clock or parser before reading the capture.
 */

import type { Entry } from "../model/entry.ts";
import { skewLimits } from "../capture/time-skew.ts";
import { TimeRange } from "../capture/time-range.ts";

/** Its range is that of the skewed timestamps alone. */
export class PushSkew extends TimeRange {
  old = 0;
  future = 0;
}

/** Over the first `count` entries (those the queue took); null when none is skewed, as nearly always. */
export function pushSkew(entries: readonly Entry[], count: number, nowSec: number): PushSkew | null {
  const { oldBefore, futureAfter } = skewLimits(nowSec);
  let s: PushSkew | null = null;
  for (let i = 0; i < count; i++) {
    const e = entries[i]!;
    if (e.sec >= oldBefore && e.sec <= futureAfter) continue;
    s ??= new PushSkew();
    if (e.sec < oldBefore) s.old++;
    else s.future++;
    s.count(e.sec, e.nsec);
  }
  return s;
}

/** The audit line's extra fields (zeros are left out, like every audit field). */
export function skewAuditFields(s: PushSkew | null): { skewed_old: number; skewed_future: number; skewed_from: string; skewed_to: string } {
  if (s === null) return { skewed_old: 0, skewed_future: 0, skewed_from: "", skewed_to: "" };
  return { skewed_old: s.old, skewed_future: s.future, skewed_from: s.from(), skewed_to: s.to() };
}
