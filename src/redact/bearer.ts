/**
 * bearer: upstream's `(?i)(?:Bearer\s+|Authorization:\s*Bearer\s+)[A-Za-z0-9_\-.]+`, as a scanner (the whole match,
 * "Authorization:" included, is replaced). Whitespace and token characters are disjoint, so each part is exactly a
 * maximal run: no backtracking, and every attempt only reads the runs that follow its own keyword.
 */

import { DOT, HYPHEN, isAlnum, isSpace } from "./chars.ts";
import type { Rule } from "./rule.ts";

const REPLACEMENT = "[REDACTED:bearer]";
const BEARER = "bearer";
const AUTHORIZATION = "authorization:";

/** Go's `(?i)[A-Za-z]` also matches U+017F (ſ, folds to s) and U+212A (Kelvin sign, folds to k). */
function isTokenChar(c: number): boolean {
  return isAlnum(c) || c === 0x5f || c === HYPHEN || c === DOT || c === 0x17f || c === 0x212a;
}

/** ASCII case-insensitive `startsWith` for a lower-case keyword. */
function keywordAt(msg: string, i: number, keyword: string): boolean {
  for (let k = 0; k < keyword.length; k++) {
    const want = keyword.charCodeAt(k);
    const c = msg.charCodeAt(i + k);
    if (c !== want && !(want >= 0x61 && want <= 0x7a && (c | 0x20) === want)) return false;
  }
  return true;
}

function afterBearer(msg: string, i: number): number {
  if (!keywordAt(msg, i, BEARER)) return -1;
  let p = i + BEARER.length;
  const spaces = p;
  while (isSpace(msg.charCodeAt(p))) p++;
  if (p === spaces) return -1;
  const token = p;
  while (isTokenChar(msg.charCodeAt(p))) p++;
  return p === token ? -1 : p;
}

function afterAuthorization(msg: string, i: number): number {
  if (!keywordAt(msg, i, AUTHORIZATION)) return -1;
  let p = i + AUTHORIZATION.length;
  while (isSpace(msg.charCodeAt(p))) p++;
  return afterBearer(msg, p);
}

export const bearerRule: Rule = {
  name: "bearer",
  apply(msg, hits) {
    let out = "";
    let copied = 0;
    let i = 0;
    while (i < msg.length) {
      const lower = msg.charCodeAt(i) | 0x20;
      const end = lower === 0x62 ? afterBearer(msg, i) : lower === 0x61 ? afterAuthorization(msg, i) : -1;
      if (end < 0) {
        i++;
        continue;
      }
      out += msg.slice(copied, i) + REPLACEMENT;
      copied = i = end;
    }
    if (copied === 0) return msg;
    hits.count = 1;
    return out + msg.slice(copied);
  },
};
