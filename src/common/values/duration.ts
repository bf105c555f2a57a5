/** Go duration syntax (`1h30m`, `500ms`, `1.5h`, `-30m`), as every upstream duration flag takes it. Returns milliseconds. */

import { UsageError } from "../errors.ts";

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseGoDuration(text: string): number {
  const s = text.trim();
  const m = /^([+-])?((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(s);
  if (!m) throw new UsageError(`invalid duration "${text}"`);
  if (m[2] === "0") return 0;
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  return m[1] === "-" ? -total : total;
}

export function parseDurationFlag(flag: string, text: string): number {
  try {
    return parseGoDuration(text);
  } catch (e) {
    throw new UsageError(`invalid --${flag}: ${(e as Error).message}`);
  }
}
