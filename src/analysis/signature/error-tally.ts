/**
 * Error counting shared by diff and merge --clock-correct: every line counted, error lines (§11.2) counted, and per
 * normalised signature (§11.3) its count and earliest timestamp.
 */

import type { Entry } from "../../model/entry.ts";
import { isErrorLine } from "./error-line.ts";
import { normalizeSignature } from "./normalize-signature.ts";

export interface SignatureStat {
  count: number;
  /** Earliest timestamp seen for the signature (the first encountered wins a tie). */
  firstSec: number;
  firstNsec: number;
}

/**
 * @example
 * const tally = new ErrorTally();
 * for (const e of entries) tally.add(e);
 * tally.signatures.get("error: boom")?.count
 */
export class ErrorTally {
  lines = 0;
  errorLines = 0;
  readonly signatures = new Map<string, SignatureStat>();

  /** Counts one entry; returns whether it is an error line. */
  add(e: Entry): boolean {
    this.lines++;
    if (!isErrorLine(e.msg)) return false;
    this.errorLines++;
    const sig = normalizeSignature(e.msg);
    const s = this.signatures.get(sig);
    if (s === undefined) this.signatures.set(sig, { count: 1, firstSec: e.sec, firstNsec: e.nsec });
    else {
      s.count++;
      if (e.sec < s.firstSec || (e.sec === s.firstSec && e.nsec < s.firstNsec)) {
        s.firstSec = e.sec;
        s.firstNsec = e.nsec;
      }
    }
    return true;
  }

  /** Signatures by count descending, ties by signature (upstream left ties to map order — its Q13). */
  ranked(limit = Infinity): { pattern: string; count: number }[] {
    const all = [...this.signatures].map(([pattern, s]) => ({ pattern, count: s.count }));
    all.sort((a, b) => b.count - a.count || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
    return all.length > limit ? all.slice(0, limit) : all;
  }
}
