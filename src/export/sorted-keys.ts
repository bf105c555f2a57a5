/** Label maps in byte-wise key order, as every export format writes them (Go sorts map keys by UTF-8 bytes). */

import type { Labels } from "../model/entry.ts";

/** The keys of a label map sorted byte-wise; stored lines are already sorted, so that case costs one pass. */
export function sortedKeys(map: Labels): string[] {
  const keys = Object.keys(map);
  for (let i = 1; i < keys.length; i++) {
    if (compareUtf8(keys[i - 1]!, keys[i]!) > 0) return keys.sort(compareUtf8);
  }
  return keys;
}

/**
 * UTF-8 byte order of two JS strings. It equals UTF-16 code-unit order except that surrogates (U+D800–DFFF, i.e.
 * code points above U+FFFF) must sort after U+E000–FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  let x = a.charCodeAt(i);
  let y = b.charCodeAt(i);
  if (x >= 0xd800 && y >= 0xd800) {
    x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
  }
  return x - y;
}
