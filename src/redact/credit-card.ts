/**
 * credit_card: upstream's `\b(\d[ -]*?){13,19}\b`, Luhn-checked, plus an issuer check (see card-number.ts).
 *
 * Hand-written because the regex is ambiguous for a backtracking engine. Under RE2's leftmost-first rules it
 * reduces to a deterministic walk: separators (any run of spaces/hyphens) are taken only while fewer than 13
 * digits have been seen — from 13 on, a separator ends the candidate, since the lazy `[ -]*?` prefers stopping
 * there — and 19 digits followed by another digit, or a final digit followed by a word character, is no match.
 *
 * Linear time: an attempt starts only at a digit with a non-word character before it, and crosses separators only
 * within its first 13 digits, so each character is visited by at most 13 attempts.
 */

import { isCardNumber, MAX_DIGITS, MIN_DIGITS } from "./card-number.ts";
import { HYPHEN, isDigit, isWord, SPACE } from "./chars.ts";
import type { Rule } from "./rule.ts";

const REPLACEMENT = "[REDACTED:cc]";

export const creditCardRule: Rule = {
  name: "credit_card",
  apply(msg, hits) {
    let out = "";
    let copied = 0;
    let i = 0;
    while (i < msg.length) {
      if (!isDigit(msg.charCodeAt(i)) || isWord(msg.charCodeAt(i - 1))) {
        i++;
        continue;
      }
      const end = candidateEnd(msg, i);
      if (end < 0) {
        i++;
        continue;
      }
      if (isCardNumber(msg.slice(i, end))) {
        out += msg.slice(copied, i) + REPLACEMENT;
        copied = end;
        hits.count++;
      }
      // Like Go's ReplaceAllStringFunc, a candidate left unchanged is still consumed.
      i = end;
    }
    return copied === 0 ? msg : out + msg.slice(copied);
  },
};

/** End of the candidate starting at digit `start`, or -1. */
function candidateEnd(msg: string, start: number): number {
  let digits = 0;
  let p = start;
  for (;;) {
    digits++;
    p++;
    let c = msg.charCodeAt(p);
    if (isDigit(c)) {
      if (digits === MAX_DIGITS) return -1;
      continue;
    }
    if (digits >= MIN_DIGITS) return isWord(c) ? -1 : p;
    if (c !== SPACE && c !== HYPHEN) return -1;
    do c = msg.charCodeAt(++p);
    while (c === SPACE || c === HYPHEN);
    if (!isDigit(c)) return -1;
  }
}
