/**
 * A metadata timestamp as the archive commands need it: comparable (instant), printable in the zone it was
 * written in (Go formats a parsed time in its own offset), and re-serialisable the way Go re-encodes it.
 */

import { isZeroInstant, parseRfc3339, ZERO_INSTANT, ZERO_TIME_TEXT, type Instant } from "../capture/timestamp.ts";

export interface CaptureTime {
  /** RFC3339Nano as Go would re-encode it: fraction trimmed, a zero offset written `Z`. */
  text: string;
  instant: Instant;
  zero: boolean;
}

export const ZERO_CAPTURE_TIME: CaptureTime = Object.freeze({ text: ZERO_TIME_TEXT, instant: ZERO_INSTANT, zero: true });

const SHAPE = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** `null`/absent is Go's zero time; anything else that is not RFC3339 makes the metadata invalid (as in Go). */
export function parseCaptureTime(value: unknown): CaptureTime {
  if (value === undefined || value === null) return ZERO_CAPTURE_TIME;
  if (typeof value !== "string") throw new Error(`cannot parse ${JSON.stringify(value)} as a time`);
  const m = SHAPE.exec(value);
  const instant = m === null ? null : parseRfc3339(value);
  if (m === null || instant === null) throw new Error(`parsing time ${JSON.stringify(value)}: not RFC3339`);
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  const zone = /^[Zz]$|^[+-]00:00$/.test(m[4]!) ? "Z" : m[4]!;
  return { text: `${m[1]}T${m[2]}${fraction ? "." + fraction : ""}${zone}`, instant, zero: isZeroInstant(instant) };
}

/** `YYYY-MM-DD HH:MM[:SS]` on the clock of the timestamp's own offset, as Go's Format prints it. */
export function wallClock(t: CaptureTime, withSeconds: boolean): string {
  return `${t.text.slice(0, 10)} ${t.text.slice(11, withSeconds ? 19 : 16)}`;
}

export function compareTimes(a: CaptureTime, b: CaptureTime): number {
  return a.instant.sec !== b.instant.sec ? a.instant.sec - b.instant.sec : a.instant.nsec - b.instant.nsec;
}
