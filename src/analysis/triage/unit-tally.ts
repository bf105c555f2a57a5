/**
 * What the triage scan counts in one unit of reading (a file, or a run of frames of one file), in one pass:
 * lines and error lines per time bucket, error signatures, lines per label value, and errors per service in
 * 10-second steps for the correlation (upstream read the capture a second time for that; one pass gives the same
 * counts). A unit's tally becomes a plain `TallyWire` so a worker thread can post it; on the way, the unit's
 * distinct signatures are mined into templates (src/analysis/patterns), each once with its count, in the order they
 * were first met — so mining cost follows distinct errors, not error lines, and is spread over the scanning threads.
 */

import type { Entry, Labels } from "../../model/entry.ts";
import { serviceOf } from "../../capture/display-line.ts";
import { normalizeSignature } from "../signature/normalize-signature.ts";
import { PatternMiner } from "../patterns/miner.ts";
import { minerToWire, type MinerWire } from "../patterns/template-wire.ts";

/** Correlation buckets are 10 s whatever the timeline's bucket width (upstream §11.5). */
export const CORRELATION_STEP_SEC = 10;

/** Structured-clone friendly: flat arrays instead of maps and objects. */
export interface TallyWire {
  lines: number;
  errors: number;
  /** Earliest and latest timestamp as [sec, nsec, sec, nsec]; empty when the unit had no lines. */
  span: number[];
  /** [bucket start sec, lines, errors] repeated. */
  buckets: number[];
  /**
   * [signature, count]. When and where each was first seen went into the templates (`patterns`), which is where the
   * results take them from; the messages cost more to send across threads than all the rest of a unit.
   */
  signatures: [string, number][];
  /** [label key, value, lines, error lines]. */
  talkers: [string, string, number, number][];
  /** [service, its first error message in file order, [10 s step, errors] repeated]. */
  services: [string, string, number[]][];
  /** The signatures mined: the unit's templates, and for signature i the index of its template (-1: over the cap). */
  patterns: MinerWire & { ofSignature: number[] };
}

export interface SignatureTally {
  count: number;
  firstSec: number;
  firstNsec: number;
  /** The message of the earliest occurrence (the first one read when timestamps are equal). */
  example: string;
}

interface StreamTally {
  labels: Labels;
  lines: number;
  errors: number;
  service: string;
}

interface BucketTally {
  lines: number;
  errors: number;
}

interface ServiceTally {
  first: string;
  steps: Map<number, number>;
}

export class UnitTally {
  readonly #bucketSec: number;
  #lines = 0;
  #errors = 0;
  #fromSec = Infinity;
  #fromNsec = 0;
  #toSec = -Infinity;
  #toNsec = 0;
  readonly #buckets = new Map<number, BucketTally>();
  // Consecutive entries nearly always share a bucket and a stream: remember the last of each instead of a lookup.
  #bucketStart = NaN;
  #bucket: BucketTally = { lines: 0, errors: 0 };
  readonly #streams = new Map<Labels, StreamTally>();
  #stream: StreamTally | null = null;
  readonly #signatures = new Map<string, SignatureTally>();
  readonly #services = new Map<string, ServiceTally>();

  constructor(bucketSec: number) {
    this.#bucketSec = bucketSec;
  }

  /** Counts one line; `error` is its entry when it is an error line (see frame-tally.ts for who decides). */
  addLine(sec: number, nsec: number, labels: Labels, error: Entry | null): void {
    if (sec < this.#fromSec || (sec === this.#fromSec && nsec < this.#fromNsec)) {
      this.#fromSec = sec;
      this.#fromNsec = nsec;
    }
    if (sec > this.#toSec || (sec === this.#toSec && nsec > this.#toNsec)) {
      this.#toSec = sec;
      this.#toNsec = nsec;
    }
    let bucket = this.#bucket;
    if (!(sec >= this.#bucketStart && sec < this.#bucketStart + this.#bucketSec)) {
      const width = this.#bucketSec;
      const start = sec - (((sec % width) + width) % width);
      let b = this.#buckets.get(start);
      if (b === undefined) this.#buckets.set(start, (b = { lines: 0, errors: 0 }));
      this.#bucketStart = start;
      this.#bucket = bucket = b;
    }
    let stream = this.#stream;
    if (stream === null || stream.labels !== labels) {
      stream = this.#streams.get(labels) ?? null;
      if (stream === null) this.#streams.set(labels, (stream = { labels, lines: 0, errors: 0, service: serviceOf(labels) }));
      this.#stream = stream;
    }
    bucket.lines++;
    stream.lines++;
    this.#lines++;
    if (error !== null) {
      bucket.errors++;
      stream.errors++;
      this.#errors++;
      this.#addError(error, stream.service);
    }
  }

  #addError(e: Entry, service: string): void {
    const sig = normalizeSignature(e.msg);
    const t = this.#signatures.get(sig);
    if (t === undefined) this.#signatures.set(sig, { count: 1, firstSec: e.sec, firstNsec: e.nsec, example: e.msg });
    else {
      t.count++;
      if (e.sec < t.firstSec || (e.sec === t.firstSec && e.nsec < t.firstNsec)) {
        t.firstSec = e.sec;
        t.firstNsec = e.nsec;
        t.example = e.msg;
      }
    }
    if (service === "") return;
    let s = this.#services.get(service);
    if (s === undefined) this.#services.set(service, (s = { first: e.msg, steps: new Map() }));
    const step = Math.floor(e.sec / CORRELATION_STEP_SEC);
    s.steps.set(step, (s.steps.get(step) ?? 0) + 1);
  }

  get lines(): number {
    return this.#lines;
  }

  toWire(): TallyWire {
    const buckets: number[] = [];
    for (const [start, b] of this.#buckets) buckets.push(start, b.lines, b.errors);
    const perValue = new Map<string, Map<string, [number, number]>>();
    for (const s of this.#streams.values()) {
      for (const key in s.labels) {
        let values = perValue.get(key);
        if (values === undefined) perValue.set(key, (values = new Map()));
        const value = s.labels[key]!;
        const v = values.get(value);
        if (v === undefined) values.set(value, [s.lines, s.errors]);
        else {
          v[0] += s.lines;
          v[1] += s.errors;
        }
      }
    }
    const talkers: TallyWire["talkers"] = [];
    for (const [key, values] of perValue) for (const [value, [lines, errors]] of values) talkers.push([key, value, lines, errors]);
    return {
      lines: this.#lines,
      errors: this.#errors,
      span: this.#lines > 0 ? [this.#fromSec, this.#fromNsec, this.#toSec, this.#toNsec] : [],
      buckets,
      signatures: [...this.#signatures].map(([sig, t]) => [sig, t.count]),
      talkers,
      services: [...this.#services].map(([name, s]) => [name, s.first, [...s.steps].flat()]),
      patterns: this.#minePatterns(),
    };
  }

  /** Uncapped: a unit has no more templates than distinct signatures, which it holds anyway; the totals cap. */
  #minePatterns(): TallyWire["patterns"] {
    const miner = new PatternMiner(Infinity);
    const ofSignature: number[] = [];
    for (const [sig, t] of this.#signatures) ofSignature.push(miner.addCounted(sig, t.count, t.firstSec, t.firstNsec, t.example)?.id ?? -1);
    return { ...minerToWire(miner), ofSignature };
  }
}
