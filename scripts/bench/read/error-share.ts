/**
 * The error-rate knob of the benchmark captures (`make-capture.ts --error-share`): in every push exactly
 * round(share × entries) entries are error lines as triage judges them (`isErrorLine`: an error keyword anywhere in
 * the message; labels are never looked at) and the others are not. The chosen entries are drawn by selection
 * sampling (Knuth's algorithm S) with their own seeded PRNG: random positions, an exact count, the same capture
 * every time. make-capture.ts gives a chosen entry without a keyword an `error` field from PHRASES, and replaces the
 * keywords of an entry not chosen by neutral words (so the payloads' `ERROR … failed …` lines become plain ones).
 */

import { errorKeywordScanner, ERROR_KEYWORDS } from "../../../src/analysis/signature/error-line.ts";

/** One neutral word per error keyword, none containing a keyword. */
const NEUTRAL: Record<string, string> = {
  error: "issue",
  panic: "alarm",
  fatal: "grave",
  exception: "anomaly",
  fail: "miss",
  refused: "declined",
  timeout: "time limit",
  oomkilled: "oom reaped",
  crashloopbackoff: "restart backoff",
  segfault: "memory fault",
  x509: "cert",
  "deadline exceeded": "deadline passed",
};
for (const k of ERROR_KEYWORDS) if (NEUTRAL[k] === undefined) throw new Error(`error-share.ts: no neutral word for the keyword "${k}"`);

/** The message without error keywords, keeping each replaced word's case (`ERROR` → `ISSUE`, `Failed` → `Missed`). */
export function neutralize(line: string): string {
  return line.replace(errorKeywordScanner(), (m) => {
    const w = NEUTRAL[m.toLowerCase()]!;
    if (m === m.toUpperCase()) return w.toUpperCase();
    return m[0] === m[0]!.toUpperCase() ? w[0]!.toUpperCase() + w.slice(1) : w;
  });
}

const int = (r: () => number, n: number) => Math.floor(r() * n);
const hex = (r: () => number, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(r, 16)]).join("");

/** What services log when something breaks; variable parts vary as they would (ids, addresses, durations). */
const PHRASES: ((r: () => number) => string)[] = [
  (r) => `dial tcp 10.0.${int(r, 256)}.${1 + int(r, 254)}:5432: connect: connection refused`,
  (r) => `upstream timeout after ${1000 + int(r, 9000)}ms calling inventory`,
  (r) => `failed to acquire lock on orders/${int(r, 1_000_000)}`,
  (r) => `panic: runtime error: index out of range [${int(r, 10)}] with length ${int(r, 10)}`,
  () => "x509: certificate has expired or is not yet valid",
  () => "container OOMKilled: memory limit 512Mi exceeded",
  () => "fatal: too many open files",
  (r) => `java.io.IOException: Broken pipe (write to 10.1.${int(r, 256)}.${1 + int(r, 254)})`,
  () => "back-off 5m0s restarting failed container (CrashLoopBackOff)",
  (r) => `segfault at 0x${hex(r, 12)} ip 0x${hex(r, 12)} error 4`,
];

/** The error lines of one push: which entries (in iteration order) are error lines, and what to add to make one. */
export class PushErrors {
  #left: number;
  #unseen: number;

  constructor(
    share: number,
    entries: number,
    private readonly r: () => number,
  ) {
    this.#left = Math.round(share * entries);
    this.#unseen = entries;
  }

  /** Whether the next entry is an error line; over the push's `entries` calls, exactly round(share × entries) say yes. */
  next(): boolean {
    const pick = this.r() * this.#unseen < this.#left;
    this.#unseen--;
    if (pick) this.#left--;
    return pick;
  }

  phrase(): string {
    return PHRASES[int(this.r, PHRASES.length)]!(this.r);
  }
}
