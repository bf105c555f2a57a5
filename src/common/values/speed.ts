/** Replay speeds (upstream §6): a number ≥ 0 with an optional trailing `x`; 0 = as fast as possible. */

import { UsageError } from "../errors.ts";

export function parseSpeed(text: string): number {
  const s = text.trim().replace(/x$/i, "");
  const n = s === "" ? NaN : Number(s);
  if (Number.isNaN(n)) throw new UsageError(`invalid --speed: invalid speed "${text}"`);
  if (n < 0) throw new UsageError("invalid --speed: speed must be >= 0");
  return n;
}
