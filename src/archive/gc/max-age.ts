/** `gc --max-age`: days (`7d`, `1.5D`) on top of Go durations (`24h`, `90m`), which have no day unit. */

import { UsageError } from "../../common/errors.ts";
import { parseGoDuration } from "../../common/values/duration.ts";

const DAY_MS = 86_400_000;

/** Milliseconds; every failure is a usage error worded `invalid --max-age: …`. */
export function parseMaxAge(input: string): number {
  const s = input.trim();
  let ms: number;
  if (s === "") throw new UsageError("invalid --max-age: empty duration");
  if (/d$/i.test(s)) {
    const count = s.slice(0, -1);
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(count)) throw new UsageError(`invalid --max-age: invalid day duration: ${JSON.stringify(input)}`);
    ms = Number(count) * DAY_MS;
  } else {
    try {
      ms = parseGoDuration(s);
    } catch (e) {
      throw new UsageError(`invalid --max-age: ${(e as Error).message}`);
    }
  }
  if (!(ms > 0) || !Number.isFinite(ms)) throw new UsageError("invalid --max-age: must be positive");
  return ms;
}
