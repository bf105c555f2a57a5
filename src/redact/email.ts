/**
 * email: upstream's `\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b`, as a scanner.
 *
 * As a backtracking regex this is quadratic: every start inside a long local part rescans it (`a.a.a.…@`).
 * Leftmost-first reduces it to: the local part is the run of local-part characters ending at an `@` (`@` is not one
 * of them, so no other split exists); the match starts at the run's first word boundary; the domain is the longest
 * prefix of the domain-character run after `@` that ends in `.` + two or more letters + a boundary. All starts in
 * one run share the same `@` and domain, so each run is examined once; runs and domains do not overlap between
 * consecutive `@`s, which makes the scan linear.
 */

import { DOT, HYPHEN, isAlnum, isAlpha, isBoundary, isWord } from "./chars.ts";
import type { Rule } from "./rule.ts";

const REPLACEMENT = "[REDACTED:email]";

function isLocal(c: number): boolean {
  // . _ % + -
  return isAlnum(c) || c === DOT || c === 0x5f || c === 0x25 || c === 0x2b || c === HYPHEN;
}

function isDomain(c: number): boolean {
  return isAlnum(c) || c === DOT || c === HYPHEN;
}

export const emailRule: Rule = {
  name: "email",
  apply(msg, hits) {
    let at = msg.indexOf("@");
    if (at < 0) return msg;
    let out = "";
    let copied = 0;
    while (at >= 0) {
      let start = at;
      while (start > copied && isLocal(msg.charCodeAt(start - 1))) start--;
      while (start < at && !isBoundary(msg, start)) start++;
      const end = start < at ? domainEnd(msg, at + 1) : -1;
      if (end < 0) {
        at = msg.indexOf("@", at + 1);
        continue;
      }
      out += msg.slice(copied, start) + REPLACEMENT;
      copied = end;
      at = msg.indexOf("@", end);
    }
    if (copied === 0) return msg;
    hits.count = 1;
    return out + msg.slice(copied);
  },
};

/** End of `[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b` starting at `from`, or -1. */
function domainEnd(msg: string, from: number): number {
  let runEnd = from;
  while (isDomain(msg.charCodeAt(runEnd))) runEnd++;
  // The greedy `[…]+` backs off from the right: the last dot that works wins. At least one character precedes it.
  for (let dot = runEnd - 1; dot > from; dot--) {
    if (msg.charCodeAt(dot) !== DOT) continue;
    let tld = dot + 1;
    while (isAlpha(msg.charCodeAt(tld))) tld++;
    if (tld - dot > 2 && !isWord(msg.charCodeAt(tld))) return tld;
  }
  return -1;
}
