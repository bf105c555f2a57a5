/**
 * ASCII character tests with RE2's meaning: `\d`, `\w` and `\b` are ASCII-only in Go. Past either end of the string
 * `charCodeAt` gives NaN, which every test rejects — so the text's edges count as non-word, as `\b` expects.
 */

export const SPACE = 0x20;
export const HYPHEN = 0x2d;
export const DOT = 0x2e;

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isAlpha(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

export function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}

export function isWord(c: number): boolean {
  return isAlnum(c) || c === 0x5f;
}

/** RE2's `\s`: `[\t\n\f\r ]` (no \v, no Unicode spaces). */
export function isSpace(c: number): boolean {
  return c === SPACE || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/** Whether `\b` holds between msg[i-1] and msg[i]. */
export function isBoundary(msg: string, i: number): boolean {
  return isWord(msg.charCodeAt(i - 1)) !== isWord(msg.charCodeAt(i));
}
