/**
 * Decides a grep match from a capture line's stored bytes, without JSON.parse or re-serialising: for a pattern that
 * is a set of plain literals, a line matches when one occurs in its message (outside an escape sequence) or in a
 * label value — with `fold`, ASCII-case-insensitively. With `output`, a matching line must also be in the canonical
 * form logtap writes (what `grep` would print after parsing and re-encoding it), so its stored bytes can be printed as
 * they are. A frame's lines are read by the SIMD frame scanner (src/scan/frame-scanner.ts) where it can take the
 * literals, else here in JS (searching a lowered copy of the frame for `fold`, ascii-lower.ts); both give one shape
 * per line, which `#decide` turns into the verdict.
 *
 * Anything the byte-level reading cannot vouch for — another layout, an offset timestamp, a `\u` or `\/` escape that
 * could stand for a literal's character, raw control bytes, extra fields; with `fold`, a non-ASCII character the
 * regex's case folding matches to a literal's letter (src/regex/ascii-fold.ts) — is UNSURE, and the caller decides
 * that line the general way (parse, filter, encode). So the judge never changes an answer; it only skips the work where the
 * bytes already give it. tests/capture/stored-line-judge.test.ts compares both ways on tricky lines.
 */

import { isUtf8 } from "node:buffer";
import { goStringMap } from "../go-json.ts";
import { formatInstant, parseRfc3339Fast, type Instant } from "../timestamp.ts";
import type { LabelFilter } from "../filters/label-filter.ts";
import { nonAsciiFoldPartners } from "../../regex/ascii-fold.ts";
import { asciiLower } from "./ascii-lower.ts";
import { CALLER_READS, FrameScanner, HIGH_TO_CALLER, HTML_UNSURE, MAX_LITERAL, MAX_LITERALS, SHAPE_FIELDS } from "../../scan/frame-scanner.ts";
import { candidateLineRanges } from "./candidate-lines.ts";
import { bytesAt, LABELS_KEY, MSG_KEY, TS_OPEN } from "../stored-line-bytes.ts";
import { serviceOf } from "../display-line.ts";

export const NO = 0;
export const MATCH = 1;
export const UNSURE = 2;
export type Verdict = typeof NO | typeof MATCH | typeof UNSURE;

/** What a judge needs, in a form that crosses to a worker (structured clone). */
export interface JudgeSpec {
  /** The pattern is exactly "contains one of these" (printable ASCII without `"\<>&`). */
  literals: readonly string[];
  /** The pattern was `(?i)` and the literals: they match as the `iv` RegExp grep compiles would (lower case here). */
  fold?: boolean;
  labels: readonly LabelFilter[];
  from?: Instant;
  to?: Instant;
  /** Matches must be printable as stored (canonical form); false: only the match decision is needed (counting). */
  output: boolean;
  /** With output: `judgeLines` also tells each match's time, line, message bounds and service (FACT_FIELDS). */
  facts?: boolean;
}

// What `judgeLines` tells of a match, FACT_FIELDS numbers per line: its time, where it starts, the bounds of its
// message's stored body, and its service (an id in the judge's `services`); what grep's sorted output
// (judged-sorted.ts) needs, so that it reads no line itself.
export const FACT_SEC = 0;
export const FACT_NSEC = 1;
export const FACT_LINE = 2;
export const FACT_MSG_START = 3;
export const FACT_MSG_END = 4;
export const FACT_SERVICE = 5;
export const FACT_FIELDS = 6;

const META = Buffer.from(',"meta":');
/** `YYYY-MM-DDTHH:MM:` */
const MINUTE = 17;
const NO_PARTNERS: Partners = { utf8: [], codes: [] };
// A line's shape: what frame-scan.wat's `shapes` writes per line (SHAPE_FIELDS i32), and the judge's JS reading.
const STATUS = 0;
const TS_END = 1;
const LABELS_START = 2;
const LABELS_END = 3;
const MSG_START = 4;
const MSG_END = 5;
const BITS = 6;
const SAME_LABELS_AS = 7;
// STATUS (1, the scanner's "not this layout", is any other value for #decide: unsure)
const SHAPE_READ = 0;
const FOR_JS = 2;
// BITS: the scanner's two, and the JS reading's (it leaves the literal to `#decide`, which needs it last).
const META_FOLLOWS = 1;
const HIT = 2;
const HIT_UNKNOWN = 4;
const SAME_AS_LAST_LABELS = 8;

/** Candidate lines (found by JS) in a frame from which copying it for the scanner to read their messages pays. */
const MANY_CANDIDATES = 64;
/** Candidate lines in the last frame from which the scanner searches a case-sensitive literal (docs/benchmarks.md). */
const SCANNED_CANDIDATES = 16;

interface LabelsVerdict {
  /** Passes the label filters and the JSON is a string map. */
  ok: boolean;
  /** A label value contains a literal. */
  hit: boolean;
  /** Re-encoding gives the same bytes (non-empty, sorted keys, Go escaping). */
  canonical: boolean;
  /** The id of the service the set names (display-line.ts), in the judge's `services`. */
  service: number;
}

/** With `fold`, the non-ASCII characters a literal's letters fold to, which leave the judge unsure in a message. */
export interface Partners {
  utf8: Buffer[];
  codes: number[];
}

export class StoredLineJudge {
  /** What a frame's `haystack()` is searched for to find candidate lines: the literals, with `fold` their partners too. */
  readonly needles: Buffer[];
  /** Service names, by the ids of FACT_SERVICE; `-` is the service of lines without labels. */
  readonly services: string[] = [];
  readonly #serviceIds = new Map<string, number>();
  readonly #noLabels: number;
  // The last line's facts, set on the way to its verdict rather than returned with it; judgeLines keeps a MATCH's.
  #sec = 0;
  #nsec = 0;
  #msgStart = 0;
  #msgEnd = 0;
  #service = 0;
  readonly #spec: JudgeSpec;
  readonly #lits: Buffer[];
  readonly #partners: Partners;
  readonly #labelHit: (value: string) => boolean;
  readonly #labelCache = new Map<string, LabelsVerdict>();
  // Consecutive lines nearly always share their minute and their label set (a stream's entries are written
  // together): comparing their bytes with the last line's spares a string, a parse and a map lookup per line. The
  // minute, not the second: streams interleave within a push, so the second changes from one candidate to the next.
  readonly #lastMinute = Buffer.alloc(MINUTE);
  #lastMinuteOk = false;
  #lastMinuteSec = 0;
  #lastLabels = Buffer.alloc(0);
  #lastLabelsVerdict: LabelsVerdict | null = null;
  /** Where in which frame the labels of that verdict were last seen (the frame scanner's shapes refer to it). */
  #lastLabelsAt = -1;
  #lastLabelsFrame: Buffer | null = null;
  /** A line's shape read in JS, as the frame scanner writes one (SHAPE_FIELDS). */
  readonly #shape = new Int32Array(SHAPE_FIELDS);
  #scanner: FrameScanner | null = null;
  #lastCandidates = 0;
  readonly #stringFlags: number;
  /** The literals the SIMD scanner searches frames for, when it can: few and short enough, without fold partners. */
  readonly #scannedLiterals: Buffer[] | null;

  constructor(spec: JudgeSpec) {
    this.#spec = spec;
    this.#noLabels = this.#serviceId("-");
    this.#lits = spec.literals.map((l) => Buffer.from(spec.fold ? l.toLowerCase() : l));
    const partners = spec.fold ? nonAsciiFoldPartners(spec.literals) : [];
    this.#partners = { utf8: partners.map((p) => Buffer.from(p)), codes: partners.map((p) => p.codePointAt(0)!) };
    this.needles = [...this.#lits, ...this.#partners.utf8];
    this.#stringFlags = (spec.output ? HTML_UNSURE | HIGH_TO_CALLER : 0) | (partners.length > 0 ? HIGH_TO_CALLER : 0);
    // (A fold partner is a non-ASCII needle of its own, which the scanner does not search for.)
    this.#scannedLiterals = partners.length === 0 && this.#lits.length <= MAX_LITERALS && this.#lits.every((l) => l.length <= MAX_LITERAL) ? this.#lits : null;
    if (spec.fold) {
      // Label values are decoded strings: the RegExp grep's filter runs decides, with its Unicode case folding.
      const re = new RegExp(spec.literals.map((l) => l.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")).join("|"), "iv");
      this.#labelHit = (v) => re.test(v);
    } else this.#labelHit = (v) => spec.literals.some((l) => v.includes(l));
  }

  /** The bytes of a frame (or line) to search for `needles` and to pass to `judge()`: with `fold`, a lowered copy. */
  haystack(buf: Buffer): Buffer {
    return this.#spec.fold ? asciiLower(buf) : buf;
  }

  /**
   * The lines of `buf` to judge — flat [start, end, …] ranges of those holding a needle (in `haystack(buf)`), each
   * once, in order — and the verdict on each. With few literals the SIMD frame scanner searches the frame and reads
   * every line's shape at once: always for case-insensitive ones (JS would lower a copy of the whole frame first),
   * else when the last frame had a few candidates or more (for a rare literal memmem finds nothing faster). The frame
   * is copied into the scanner unless it was decompressed there (`frameTarget`). Otherwise JS searches and reads each
   * line, the scanner still finding the messages' ends when a frame has many candidates. `ranges` may be a view of
   * the scanner's memory: valid until the next frame. With `spec.facts`, `facts` holds FACT_FIELDS per line, set for
   * the matches.
   */
  judgeLines(buf: Buffer): { ranges: ArrayLike<number>; verdicts: Uint8Array; facts: Float64Array | null } {
    let hay: Buffer | null = null;
    const hayOf = () => (hay ??= this.haystack(buf));
    const scanned = this.#scansNext();
    let ranges: ArrayLike<number>;
    if (scanned) {
      const scanner = (this.#scanner ??= new FrameScanner());
      scanner.load(buf);
      ranges = scanner.candidateLines(this.#scannedLiterals!, this.#spec.fold === true);
    } else {
      ranges = candidateLineRanges(hayOf(), this.needles);
      if (ranges.length / 2 >= MANY_CANDIDATES) (this.#scanner ??= new FrameScanner()).load(buf);
    }
    this.#lastCandidates = ranges.length / 2;
    const verdicts = new Uint8Array(ranges.length / 2);
    const facts = this.#spec.facts ? new Float64Array(verdicts.length * FACT_FIELDS) : null;
    const shapes = scanned ? this.#scanner!.shapes(ranges as Uint32Array, this.#stringFlags) : null;
    for (let i = 0; i < verdicts.length; i++) {
      const start = ranges[2 * i]!;
      const end = ranges[2 * i + 1]!;
      const at = i * SHAPE_FIELDS;
      // The scanner knows whether a literal is in the message: the haystack is needed only for JS's lines.
      const v = shapes === null || shapes[at] === FOR_JS ? this.judge(buf, start, end, hayOf()) : this.#decide(buf, start, end, buf, shapes, at);
      verdicts[i] = v;
      if (v === MATCH && facts !== null) {
        const f = i * FACT_FIELDS;
        facts[f + FACT_SEC] = this.#sec;
        facts[f + FACT_NSEC] = this.#nsec;
        facts[f + FACT_LINE] = start;
        facts[f + FACT_MSG_START] = this.#msgStart;
        facts[f + FACT_MSG_END] = this.#msgEnd;
        facts[f + FACT_SERVICE] = this.#service;
      }
    }
    this.#scanner?.load(null);
    return { ranges, verdicts, facts };
  }

  #scansNext(): boolean {
    return this.#scannedLiterals !== null && (this.#spec.fold === true || this.#lastCandidates >= SCANNED_CANDIDATES);
  }

  /**
   * For FrameDecompressor.decompress: memory in the SIMD frame scanner to decompress the next frame into when the
   * scanner will search it, which spares copying it there; else null.
   */
  readonly frameTarget = (size: number): Uint8Array | null => (this.#scansNext() ? (this.#scanner ??= new FrameScanner()).frameTarget(size) : null);

  /** The verdict on the line buf[start, end) (no newline); `hay` is `haystack(buf)`, at the same offsets. */
  judge(buf: Buffer, start: number, end: number, hay: Buffer): Verdict {
    if (end - start < 30 || !bytesAt(buf, start, TS_OPEN)) return UNSURE;
    const tsStart = start + TS_OPEN.length;
    // A timestamp is 20–30 bytes; `#time` rejects any with a quote in its first 20.
    let tsEnd = -1;
    for (let i = tsStart + 20, last = Math.min(tsStart + 31, end); i < last; i++) {
      if (buf[i] === 34) {
        tsEnd = i;
        break;
      }
    }
    if (tsEnd < 0) return UNSURE;
    let bits = HIT_UNKNOWN;
    let lStart = 0;
    let lEnd = 0;
    let msgStart: number;
    if (bytesAt(buf, tsEnd + 1, MSG_KEY)) msgStart = tsEnd + 1 + MSG_KEY.length;
    else if (bytesAt(buf, tsEnd + 1, LABELS_KEY)) {
      lStart = tsEnd + 1 + LABELS_KEY.length;
      lEnd = this.#sameLabels(buf, lStart);
      if (lEnd >= 0) bits |= SAME_AS_LAST_LABELS;
      else {
        lEnd = buf.indexOf(MSG_KEY, lStart);
        if (lEnd < 0 || lEnd >= end) return UNSURE;
      }
      msgStart = lEnd + MSG_KEY.length;
    } else return UNSURE;
    const msgEnd = this.#messageEnd(buf, msgStart, end);
    if (msgEnd < 0) return UNSURE;
    if (msgEnd + 2 !== end) bits |= META_FOLLOWS;
    const shape = this.#shape;
    shape[STATUS] = SHAPE_READ;
    shape[TS_END] = tsEnd;
    shape[LABELS_START] = lStart;
    shape[LABELS_END] = lEnd;
    shape[MSG_START] = msgStart;
    shape[MSG_END] = msgEnd;
    shape[BITS] = bits;
    shape[SAME_LABELS_AS] = -1;
    return this.#decide(buf, start, end, hay, shape, 0);
  }

  /** The verdict on a line from its shape (shape[at…], SHAPE_FIELDS), read here or by the frame scanner. */
  #decide(buf: Buffer, start: number, end: number, hay: Buffer, shape: Int32Array, at: number): Verdict {
    if (shape[at + STATUS] !== SHAPE_READ) return UNSURE;
    const time = this.#time(buf, start + TS_OPEN.length, shape[at + TS_END]!);
    if (time === UNSURE) return UNSURE;
    const bits = shape[at + BITS]!;
    const lStart = shape[at + LABELS_START]!;
    let labels: LabelsVerdict | null = null;
    if (lStart !== 0) {
      const sameAs = shape[at + SAME_LABELS_AS]!;
      const same = (bits & SAME_AS_LAST_LABELS) !== 0 || (sameAs >= 0 && sameAs === this.#lastLabelsAt && buf === this.#lastLabelsFrame);
      labels = same ? this.#lastLabelsVerdict : this.#labels(buf, lStart, shape[at + LABELS_END]!);
      this.#lastLabelsAt = lStart;
      this.#lastLabelsFrame = buf;
      if (labels === null) return UNSURE;
    }
    const msgStart = shape[at + MSG_START]!;
    const msgEnd = shape[at + MSG_END]!;
    if ((bits & META_FOLLOWS) !== 0 ? !this.#tail(buf, msgEnd + 1, end) : buf[end - 1] !== 125) return UNSURE;
    if (time === NO || (labels === null ? this.#spec.labels.length > 0 : !labels.ok)) return NO;
    if (this.#spec.output && labels !== null && !labels.canonical) return UNSURE;
    this.#msgStart = msgStart;
    this.#msgEnd = msgEnd;
    this.#service = labels === null ? this.#noLabels : labels.service;
    if (labels !== null && labels.hit) return MATCH;
    if ((bits & HIT_UNKNOWN) === 0) return (bits & HIT) !== 0 ? MATCH : NO;
    for (const lit of this.#lits) if (inMessage(hay, buf, lit, msgStart, msgEnd)) return MATCH;
    return NO;
  }

  #messageEnd(buf: Buffer, from: number, end: number): number {
    const scanner = this.#scanner;
    if (scanner !== null && scanner.holds(buf)) {
      const q = scanner.closingQuote(from, end, this.#stringFlags);
      if (q !== CALLER_READS) return q;
    }
    return scanMessage(buf, from, end, this.#spec.output, this.#partners);
  }

  /** After the message: `,"meta":{…}}` with a string map (canonical when printing) to the end of the line. */
  #tail(buf: Buffer, at: number, end: number): boolean {
    if (!bytesAt(buf, at, META) || buf[end - 1] !== 125) return false;
    return stringMapEnd(buf, at + META.length, end - 1, this.#spec.output) === end - 1;
  }

  /** NO outside the time range; UNSURE when not a `Z` timestamp the general path is sure to read the same way. */
  #time(buf: Buffer, from: number, to: number): Verdict {
    const n = to - from;
    if (n < 20 || n > 30 || buf[to - 1] !== 90) return UNSURE;
    const ss = twoDigits(buf, from + MINUTE);
    // 60 is a leap second, which the general path reads as the next minute's first.
    if (ss < 0 || ss > 59) return UNSURE;
    if (!bytesAt(buf, from, this.#lastMinute)) {
      const minute = buf.toString("latin1", from, from + MINUTE);
      const t = parseRfc3339Fast(minute + "00Z");
      buf.copy(this.#lastMinute, 0, from, from + MINUTE);
      // Canonical at second 00 is canonical at every second 00–59: each field is formatted on its own.
      this.#lastMinuteOk = t !== null && t.nsec === 0 && formatInstant(t.sec, 0) === minute + "00Z";
      this.#lastMinuteSec = t?.sec ?? 0;
    }
    if (!this.#lastMinuteOk) return UNSURE;
    let nsec = 0;
    if (n > 20) {
      // `.` then 1–9 digits, the last not 0 (Go's trimmed fraction, which re-encoding reproduces).
      if (buf[from + 19] !== 46 || n === 21 || buf[to - 2] === 48) return UNSURE;
      let digits = 0;
      for (let i = from + 20; i < to - 1; i++) {
        const d = buf[i]! - 48;
        if (d < 0 || d > 9) return UNSURE;
        nsec = nsec * 10 + d;
        digits++;
      }
      for (; digits < 9; digits++) nsec *= 10;
    }
    const { from: lo, to: hi } = this.#spec;
    const sec = this.#lastMinuteSec + ss;
    if (lo && (sec < lo.sec || (sec === lo.sec && nsec < lo.nsec))) return NO;
    if (hi && (sec > hi.sec || (sec === hi.sec && nsec > hi.nsec))) return NO;
    this.#sec = sec;
    this.#nsec = nsec;
    return MATCH;
  }

  /**
   * Where the labels at `from` end when they are the last line's (a string map, whose end is its only `}` followed
   * by `,"msg":"`, as a quote inside a string is escaped), or -1: this spares searching for their end.
   */
  #sameLabels(buf: Buffer, from: number): number {
    const last = this.#lastLabels;
    if (this.#lastLabelsVerdict === null || !bytesAt(buf, from, last) || !bytesAt(buf, from + last.length, MSG_KEY)) return -1;
    return from + last.length;
  }

  /** Per label set (lines of a stream repeat it): null when it is not a string map (the general path decides). */
  #labels(buf: Buffer, from: number, to: number): LabelsVerdict | null {
    const verdict = this.#labelsOf(buf, from, to);
    // A copy: the frame's buffer is reused or freed once it is judged.
    this.#lastLabels = Buffer.from(buf.subarray(from, to));
    this.#lastLabelsVerdict = verdict;
    return verdict;
  }

  #serviceId(name: string): number {
    let id = this.#serviceIds.get(name);
    if (id === undefined) this.#serviceIds.set(name, (id = this.services.push(name) - 1));
    return id;
  }

  #labelsOf(buf: Buffer, from: number, to: number): LabelsVerdict | null {
    const key = buf.toString("latin1", from, to);
    const known = this.#labelCache.get(key);
    if (known !== undefined) return known;
    const bytes = buf.subarray(from, to);
    let v: unknown;
    try {
      v = JSON.parse(bytes.toString("utf8"));
    } catch {
      return null;
    }
    if (!isStringMap(v)) return null;
    const values = Object.values(v);
    const verdict: LabelsVerdict = {
      ok: this.#spec.labels.every((f) => v[f.key] === f.value),
      hit: values.some(this.#labelHit),
      canonical: values.length > 0 && Buffer.from(goStringMap(v)).equals(bytes),
      service: this.#serviceId(serviceOf(v) || "-"),
    };
    if (this.#labelCache.size >= 10_000) this.#labelCache.clear();
    this.#labelCache.set(key, verdict);
    return verdict;
  }
}

function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  for (const x of Object.values(v)) if (typeof x !== "string") return false;
  return true;
}

/** Whether buf holds all of `prefix` at `at` (a loop: cheaper than a native compare for these few bytes). */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;

/**
 * The index of the message's closing quote, or -1 when the message holds something the byte-level judgement cannot
 * vouch for: a raw control byte (invalid JSON), an escape that may decode to a printable ASCII character a literal
 * could contain (`\/`, `\u0041`), or a fold partner (raw or escaped); with `output`, also anything re-encoding would
 * write differently (raw `<>&`, U+2028/U+2029, `\u` escapes Go's encoder does not use or upper-case hex, invalid
 * UTF-8).
 */
export function scanMessage(buf: Buffer, from: number, end: number, output: boolean, partners: Partners): number {
  let high = false;
  for (let i = from; i < end; i++) {
    const b = buf[i]!;
    if (b === 34) {
      if (high && output && !isUtf8(buf.subarray(from, i))) return -1;
      return i;
    }
    if (b < 0x20) return -1;
    if (b === 92) {
      const e = buf[i + 1];
      if (e === 117) {
        let code = 0;
        for (let k = 2; k < 6; k++) {
          const h = HEX[buf[i + k]! & 0x7f]!;
          // Re-encoding writes lower-case hex (`\u003c`), so a stored `\u003C` does not print as stored.
          if (h < 0 || buf[i + k]! > 0x7f || (output && buf[i + k]! < 97 && h > 9)) return -1;
          code = code * 16 + h;
        }
        if (!escapeOk(code, output) || partners.codes.includes(code)) return -1;
        i += 5;
      } else if (e === 34 || e === 92 || e === 110 || e === 114 || e === 116 || e === 98 || e === 102) i++;
      else return -1;
    } else if (b >= 0x80) {
      high = true;
      for (const p of partners.utf8) if (b === p[0] && bytesAt(buf, i, p)) return -1;
      if (output && b === 0xe2 && buf[i + 1] === 0x80 && (buf[i + 2] === 0xa8 || buf[i + 2] === 0xa9)) return -1;
    } else if (output && (b === 60 || b === 62 || b === 38)) return -1;
  }
  return -1;
}

function twoDigits(buf: Buffer, at: number): number {
  const a = buf[at]! - 48;
  const b = buf[at + 1]! - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}

/**
 * The end of the non-empty JSON object of strings at `from` (written without spaces, as logtap writes it) before
 * `end`, or -1 — read as bytes, because metadata such as a trace id differs on every line, so neither a cache nor
 * JSON.parse per line pays. With `output`, the object must also be what re-encoding writes (goStringMap): every
 * string canonical (scanMessage) and the keys in ascending order, which is compared as bytes, so a key holding an
 * escape or a non-ASCII byte leaves it unsure.
 */
function stringMapEnd(buf: Buffer, from: number, end: number, output: boolean): number {
  if (buf[from] !== 123) return -1;
  let at = from + 1;
  let lastKey = -1;
  let lastKeyEnd = -1;
  for (;;) {
    if (buf[at] !== 34) return -1;
    const keyEnd = scanMessage(buf, at + 1, end, output, NO_PARTNERS);
    if (keyEnd < 0 || buf[keyEnd + 1] !== 58 || buf[keyEnd + 2] !== 34) return -1;
    if (output) {
      for (let i = at + 1; i < keyEnd; i++) if (buf[i] === 92 || buf[i]! >= 0x80) return -1;
      if (lastKey >= 0 && buf.compare(buf, lastKey, lastKeyEnd, at + 1, keyEnd) <= 0) return -1;
      lastKey = at + 1;
      lastKeyEnd = keyEnd;
    }
    const valueEnd = scanMessage(buf, keyEnd + 3, end, output, NO_PARTNERS);
    if (valueEnd < 0) return -1;
    at = valueEnd + 2;
    if (buf[valueEnd + 1] === 125) return at;
    if (buf[valueEnd + 1] !== 44) return -1;
  }
}

/** A `\uXXXX` the judge may pass: it stands for a character no literal contains; printing, one Go would write so. */
function escapeOk(code: number, output: boolean): boolean {
  if (output) {
    // Go and JSON.stringify write \b \f \n \r \t short; every other control, <, >, &, U+2028/9 as \u00XX / \u20XX.
    if (code < 0x20) return code !== 8 && code !== 9 && code !== 10 && code !== 12 && code !== 13;
    return code === 0x3c || code === 0x3e || code === 0x26 || code === 0x2028 || code === 0x2029;
  }
  return code < 0x20 || code > 0x7e || code === 0x22 || code === 0x26 || code === 0x3c || code === 0x3e || code === 0x5c;
}

/**
 * Whether `lit` occurs in hay[from, to) other than starting inside an escape sequence of buf (a literal has no `\`;
 * `hay` is `buf` or its lowered copy).
 */
function inMessage(hay: Buffer, buf: Buffer, lit: Buffer, from: number, to: number): boolean {
  let at = hay.indexOf(lit, from);
  while (at >= 0 && at + lit.length <= to) {
    if (!inEscape(buf, from, at)) return true;
    at = hay.indexOf(lit, at + 1);
  }
  return false;
}

/** Whether position `at` is inside an escape that starts before it (`\n` → `n`, `\u003c` → `u003c`). */
function inEscape(buf: Buffer, from: number, at: number): boolean {
  for (let s = at - 1; s >= from && s >= at - 5; s--) {
    if (buf[s] !== 92 || !escapes(buf, from, s)) continue;
    return s === at - 1 || buf[s + 1] === 117;
  }
  return false;
}

/** Whether the backslash at `s` starts an escape (an even run of backslashes before it). */
function escapes(buf: Buffer, from: number, s: number): boolean {
  let run = 0;
  for (let k = s - 1; k >= from && buf[k] === 92; k--) run++;
  return run % 2 === 0;
}
