/** Byte sizes as upstream §1.7 parses them: `256MB`, `2.5GB`, `1 kb`, binary multiples, no unit = bytes. */

import { UsageError } from "../errors.ts";

const UNITS: Record<string, number> = { "": 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  const mult = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || mult === undefined) throw new UsageError(`invalid size: "${text}"`);
  return Math.trunc(Number(m[1]) * mult);
}

/** For flags: wraps the message the way upstream does (`invalid --max-file: invalid size: "x"`). */
export function parseSizeFlag(flag: string, text: string): number {
  try {
    return parseSize(text);
  } catch (e) {
    throw new UsageError(`invalid --${flag}: ${(e as Error).message}`);
  }
}
