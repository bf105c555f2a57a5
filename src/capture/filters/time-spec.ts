/**
 * The one time syntax of every reading command (upstream §1.7 variant A): RFC3339, `HH:MM` on the capture's start
 * date (UTC), or `-30m` before the capture's end. `slice` also takes its upstream forms (`30m`, `H:MM`), read
 * against the capture, not the wall clock (upstream's Q10: capture-relative times are the recommended fix).
 */

import { UsageError } from "../../common/errors.ts";
import { parseGoDuration } from "../../common/values/duration.ts";
import { parseRfc3339, type Instant } from "../timestamp.ts";

export interface CaptureClock {
  /** Capture start: metadata `started`, else the first data timestamp. */
  start: Instant;
  /** Capture end: metadata `stopped`, else `started` (upstream), else the last data timestamp. */
  end: Instant;
}

export function parseTimeSpec(text: string, clock: CaptureClock, opts: { sliceForms?: boolean } = {}): Instant | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  const abs = parseRfc3339(s);
  if (abs !== null) return abs;
  const hm = (opts.sliceForms ? /^(\d{1,2}):(\d{2})$/ : /^(\d{2}):(\d{2})$/).exec(s);
  if (hm) {
    const h = Number(hm[1]);
    const m = Number(hm[2]);
    if (h > 23 || m > 59) throw new UsageError(`unrecognized time format: "${text}"`);
    const day = Math.floor(clock.start.sec / 86400) * 86400;
    return { sec: day + h * 3600 + m * 60, nsec: 0 };
  }
  if (s.startsWith("-") || (opts.sliceForms && /[0-9.](h|m|s|ms)$/.test(s))) {
    let ms: number;
    try {
      ms = Math.abs(parseGoDuration(s.replace(/^-/, "")));
    } catch {
      throw new UsageError(`invalid duration "${s}"`);
    }
    const totalNs = clock.end.sec * 1e9 + clock.end.nsec - ms * 1e6;
    const sec = Math.floor(totalNs / 1e9);
    return { sec, nsec: Math.round(totalNs - sec * 1e9) };
  }
  throw new UsageError(`unrecognized time format: "${text}"`);
}

export function parseTimeFlag(flag: string, text: string | undefined, clock: CaptureClock, opts?: { sliceForms?: boolean }): Instant | undefined {
  if (text === undefined) return undefined;
  try {
    return parseTimeSpec(text, clock, opts);
  } catch (e) {
    throw new UsageError(`invalid --${flag}: ${(e as Error).message}`);
  }
}
