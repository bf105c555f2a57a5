/**
 * What a reading command asks for: a time range (inclusive), label filters (AND) and a regex on the message or any
 * label value. The same filter decides per entry and, coarsely, per indexed file and per frame, so readers skip
 * what cannot match without decompressing it.
 */

import type { Entry, Labels } from "../../model/entry.ts";
import type { FrameRecord, IndexEntry } from "../index-file.ts";
import { parseRfc3339, type Instant } from "../timestamp.ts";
import type { LabelFilter } from "./label-filter.ts";

export interface EntryFilterSpec {
  from?: Instant;
  to?: Instant;
  labels?: readonly LabelFilter[];
  /** Matched against the message or any label value (upstream §2.11). */
  regex?: RegExp;
  /** Matched against the message only (watch's upstream rule). */
  messageOnly?: boolean;
  /** Matched against the line as stored (slice's upstream rule); needs readers that keep raw lines. */
  rawRegex?: RegExp;
}

function before(aSec: number, aNsec: number, b: Instant): boolean {
  return aSec < b.sec || (aSec === b.sec && aNsec < b.nsec);
}

export class EntryFilter {
  readonly from?: Instant;
  readonly to?: Instant;
  readonly labels: readonly LabelFilter[];
  readonly regex?: RegExp;
  readonly rawRegex?: RegExp;
  readonly #messageOnly: boolean;
  // Label checks are per labels object, which entries of one stream share.
  readonly #labelVerdict = new WeakMap<Labels, boolean>();

  constructor(spec: EntryFilterSpec = {}) {
    this.from = spec.from;
    this.to = spec.to;
    this.labels = spec.labels ?? [];
    this.regex = spec.regex ? new RegExp(spec.regex.source, spec.regex.flags.replace(/[gy]/g, "")) : undefined;
    this.#messageOnly = spec.messageOnly ?? false;
    this.rawRegex = spec.rawRegex ? new RegExp(spec.rawRegex.source, spec.rawRegex.flags.replace(/[gy]/g, "")) : undefined;
  }

  get isEmpty(): boolean {
    return !this.from && !this.to && this.labels.length === 0 && !this.regex && !this.rawRegex;
  }

  get hasTimeRange(): boolean {
    return this.from !== undefined || this.to !== undefined;
  }

  matchesTime(sec: number, nsec: number): boolean {
    if (this.from && before(sec, nsec, this.from)) return false;
    if (this.to && before(this.to.sec, this.to.nsec, { sec, nsec })) return false;
    return true;
  }

  matchesLabels(labels: Labels): boolean {
    if (this.labels.length === 0) return true;
    let v = this.#labelVerdict.get(labels);
    if (v === undefined) {
      v = this.labels.every((f) => labels[f.key] === f.value);
      this.#labelVerdict.set(labels, v);
    }
    return v;
  }

  matchesText(e: Entry): boolean {
    const re = this.regex;
    if (!re) return true;
    if (re.test(e.msg)) return true;
    if (this.#messageOnly) return false;
    for (const k in e.labels) if (re.test(e.labels[k]!)) return true;
    return false;
  }

  matchesRaw(line: string): boolean {
    return this.rawRegex === undefined || this.rawRegex.test(line);
  }

  matches(e: Entry): boolean {
    return this.matchesTime(e.sec, e.nsec) && this.matchesLabels(e.labels) && this.matchesText(e);
  }

  /** False only when no line of the indexed file can match (its time range or label values rule it out). */
  mayMatchFile(e: IndexEntry): boolean {
    if (!this.spanOverlaps(e.from, e.to)) return false;
    const counts = e.labels;
    if (counts) {
      for (const f of this.labels) {
        // The index lists every label key of the file, so a missing key rules the file out as surely as a value.
        const values = counts[f.key];
        if (values === undefined || !Object.hasOwn(values, f.value)) return false;
      }
    }
    return true;
  }

  mayMatchFrame(f: FrameRecord): boolean {
    return this.spanOverlaps(f.from, f.to);
  }

  spanOverlaps(fromText: string, toText: string): boolean {
    if (!this.hasTimeRange) return true;
    const from = parseRfc3339(fromText);
    const to = parseRfc3339(toText);
    if (from === null || to === null) return true;
    if (this.from && before(to.sec, to.nsec, this.from)) return false;
    if (this.to && before(this.to.sec, this.to.nsec, from)) return false;
    return true;
  }
}
