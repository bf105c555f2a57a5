/**
 * Sets of code points as sorted, merged `[lo, hi, lo, hi, …]` ranges. Only the backtracking analysis uses them,
 * to ask "can these two parts of a pattern match the same character?".
 */

export type CharSet = readonly number[];

const MAX_CODE_POINT = 0x10ffff;

export const EMPTY: CharSet = [];
export const ANY: CharSet = [0, MAX_CODE_POINT];

export function range(lo: number, hi: number): CharSet {
  return [lo, hi];
}

export function union(a: CharSet, b: CharSet): CharSet {
  const pairs: [number, number][] = [];
  for (const s of [a, b]) for (let i = 0; i < s.length; i += 2) pairs.push([s[i]!, s[i + 1]!]);
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

export function negate(a: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < a.length; i += 2) {
    if (a[i]! > next) out.push(next, a[i]! - 1);
    next = a[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1]! < b[j]!) i += 2;
    else if (b[j + 1]! < a[i]!) j += 2;
    else return true;
  }
  return false;
}

/** Adds the other case of ASCII letters; enough for overlap questions, which never hinge on exotic case folds. */
export function foldAscii(a: CharSet): CharSet {
  let out = a;
  for (let i = 0; i < a.length; i += 2) {
    for (const [lo, hi, shift] of [[65, 90, 32], [97, 122, -32]] as const) {
      const from = Math.max(a[i]!, lo);
      const to = Math.min(a[i + 1]!, hi);
      if (from <= to) out = union(out, range(from + shift, to + shift));
    }
  }
  return out;
}
