/**
 * jwt: upstream's `eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`, as a scanner.
 *
 * `.` is not a base64url character, so each segment is exactly the run up to the next non-base64url character and
 * the match is deterministic. What a regex engine does wrong is restart inside a failed run (`eyJeyJeyJ…` is
 * quadratic); every `eyJ` inside one run shares that run's end and continuation, so a failure skips the whole run.
 */

import { DOT, HYPHEN, isAlnum } from "./chars.ts";
import type { Rule } from "./rule.ts";

const REPLACEMENT = "[REDACTED:jwt]";
const HEADER = "eyJ";

function runEnd(msg: string, from: number): number {
  let p = from;
  for (let c = msg.charCodeAt(p); isAlnum(c) || c === 0x5f || c === HYPHEN; c = msg.charCodeAt(++p));
  return p;
}

/** End of the JWT whose "eyJ" is at `start` and whose header run ends at `header`, or -1. */
function jwtEnd(msg: string, start: number, header: number): number {
  if (header === start + HEADER.length || msg.charCodeAt(header) !== DOT || !msg.startsWith(HEADER, header + 1)) return -1;
  const payload = runEnd(msg, header + 1 + HEADER.length);
  if (payload === header + 1 + HEADER.length || msg.charCodeAt(payload) !== DOT) return -1;
  const signature = runEnd(msg, payload + 1);
  return signature === payload + 1 ? -1 : signature;
}

export const jwtRule: Rule = {
  name: "jwt",
  apply(msg, hits) {
    let i = msg.indexOf(HEADER);
    if (i < 0) return msg;
    let out = "";
    let copied = 0;
    while (i >= 0) {
      const header = runEnd(msg, i + HEADER.length);
      const end = jwtEnd(msg, i, header);
      if (end < 0) {
        i = msg.indexOf(HEADER, header);
        continue;
      }
      out += msg.slice(copied, i) + REPLACEMENT;
      copied = end;
      i = msg.indexOf(HEADER, end);
    }
    if (copied === 0) return msg;
    hits.count = 1;
    return out + msg.slice(copied);
  },
};
