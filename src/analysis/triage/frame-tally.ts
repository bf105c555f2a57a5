/**
 * Tallies a decompressed frame for triage without parsing most of its lines. Every line needs only its timestamp
 * and label set (both found at fixed places of the capture line layout) unless it may be an error line; the error
 * keywords are searched once over the whole frame, and only lines with a keyword inside the message text — plus any
 * line this scan cannot vouch for — are parsed and judged by `isErrorLine`, exactly as before. JSON.parse and the
 * per-line keyword regex were 60 % of triage's CPU (docs/benchmarks.md, Triage).
 *
 * Why the byte-level answer is the same as the parsed one: keywords are ASCII letters and spaces, which neither Go's
 * JSON encoder nor ours ever escapes, and a JSON escape (`\n`, `\"`, …) never decodes to a letter or a space; so a
 * message contains a keyword exactly when its stored text does — except with `\uXXXX` escapes and the two characters
 * Go folds to ASCII (İ, K), whose lines take the parsing path. A keyword in the stored text that is not one in the
 * message (after `\r`, or in `meta`) only sends the line to the parsing path.
 *
 * The frame is read as bytes, with native searches on the buffer, not as a latin1 string of it: reading bytes made
 * triage 1.17× faster at 1 % error lines and 1.34× at 30 % (docs/benchmarks.md, Triage with patterns, session 8).
 */

import { EMPTY_LABELS, type Labels } from "../../model/entry.ts";
import { decodeEntryLine, labelsFromJson } from "../../capture/entry-line.ts";
import { parseRfc3339Bytes } from "../../capture/timestamp.ts";
import { ERROR_KEYWORDS, FOLDING_CHARS, isErrorLine } from "../signature/error-line.ts";
import { LiteralScanner } from "../../scan/literal-scanner.ts";
import { bytesAt, MSG_KEY, TS_OPEN } from "../../capture/stored-line-bytes.ts";
import type { UnitTally } from "./unit-tally.ts";
import { NonEntryLines } from "../../capture/reader/read-problem.ts";

const AFTER_TS_LABELS = Buffer.from(',"labels":{');
const LABELS_END = Buffer.from('},"msg":"');
const UNICODE_ESCAPE = Buffer.from("\\u");
const FOLDING_BYTES = FOLDING_CHARS.map((c) => Buffer.from(c, "utf8"));
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BRACE_CLOSE = 0x7d;

const utf8 = new TextDecoder();

/**
 * The keywords' starts in a frame's bytes (SIMD; a /gi regex over the frame's text was a quarter of triage). One
 * scanner for the thread, not one per unit: a new one costs ~5 ms to instantiate and grow.
 */
let scanner: LiteralScanner | null = null;
const keywordScanner = () => (scanner ??= new LiteralScanner(ERROR_KEYWORDS, true));

/** A cursor over the occurrences of a byte string, moved forward line by line. */
class Occurrences {
  #at: number;
  constructor(
    private readonly buf: Buffer,
    private readonly needle: Uint8Array,
  ) {
    this.#at = buf.indexOf(needle);
  }

  /** Whether an occurrence starts in [from, to); the cursor never moves back. */
  within(from: number, to: number): boolean {
    if (this.#at >= 0 && this.#at < from) this.#at = this.buf.indexOf(this.needle, from);
    return this.#at >= 0 && this.#at < to;
  }
}

export class FrameTally {
  /** Lines of the frames added since the caller last reported them that are not entries. */
  readonly nonEntries = new NonEntryLines();
  readonly #tally: UnitTally;
  // Label text (latin1 view) → interned set; a unit has a handful of streams.
  readonly #labels = new Map<string, Labels>();
  readonly #ts = { sec: 0, nsec: 0 };

  constructor(tally: UnitTally) {
    this.#tally = tally;
  }

  add(bytes: Uint8Array): void {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const escapes = new Occurrences(buf, UNICODE_ESCAPE);
    const folds = FOLDING_BYTES.map((f) => new Occurrences(buf, f));
    // Keyword starts, in order; a match is letters, digits and spaces, so one starting inside a line's message lies
    // within it (it cannot cross the quote before the message or the newline after it).
    const kw = keywordScanner().scan(bytes);
    let next = 0;
    // Lines of one stream are adjacent: compare with the previous line's label text before any lookup.
    let prevFrom = 0;
    let prevTo = -1;
    let prevLabels: Labels = EMPTY_LABELS;
    const n = buf.length;
    let s = 0;
    while (s < n) {
      let e = buf.indexOf(NEWLINE, s);
      if (e < 0) e = n;
      const lineStart = s;
      s = e + 1;
      if (e === lineStart) continue;
      // The fast path needs the writers' layout: {"ts":"…"[,"labels":{…}],"msg":"…"…}
      let fast = bytesAt(buf, lineStart, TS_OPEN) && buf[e - 1] === BRACE_CLOSE;
      let tsEnd = -1;
      let msgStart = -1;
      let labels = EMPTY_LABELS;
      if (fast) {
        tsEnd = buf.indexOf(QUOTE, lineStart + TS_OPEN.length);
        if (tsEnd < 0 || tsEnd >= e) fast = false;
        else if (bytesAt(buf, tsEnd + 1, MSG_KEY)) msgStart = tsEnd + 1 + MSG_KEY.length;
        else if (bytesAt(buf, tsEnd + 1, AFTER_TS_LABELS)) {
          const ls = tsEnd + AFTER_TS_LABELS.length; // at the `{`
          const le = buf.indexOf(LABELS_END, ls);
          if (le < 0 || le >= e) fast = false;
          else {
            msgStart = le + LABELS_END.length;
            const end = le + 1;
            if (end - ls === prevTo - prevFrom && buf.compare(buf, prevFrom, prevTo, ls, end) === 0) labels = prevLabels;
            else {
              const found = this.#labelsAt(buf, ls, end);
              if (found === null) fast = false;
              else {
                labels = prevLabels = found;
                prevFrom = ls;
                prevTo = end;
              }
            }
          }
        } else fast = false;
      }
      if (fast && (escapes.within(lineStart, e) || folds[0]!.within(lineStart, e) || folds[1]!.within(lineStart, e))) fast = false;
      if (fast) {
        // Keyword matches before this message (in labels, or earlier lines) say nothing about it.
        while (next < kw.length && kw[next]! < msgStart) next++;
        if (parseRfc3339Bytes(buf, lineStart + TS_OPEN.length, tsEnd, this.#ts)) {
          if (next === kw.length || kw[next]! >= e) {
            this.#tally.addLine(this.#ts.sec, this.#ts.nsec, labels, null);
            continue;
          }
          // A likely error line: only its message is needed. When the line ends with `"}` the message is its last
          // field (a `meta` object would end it with `}}`), so the stored string literal is exactly the message;
          // anything else there makes the literal invalid JSON, and the line takes the parsing path.
          const msg = e - 2 >= msgStart && buf[e - 2] === QUOTE ? this.#message(buf, msgStart, e) : null;
          if (msg !== null) {
            const { sec, nsec } = this.#ts;
            this.#tally.addLine(sec, nsec, labels, isErrorLine(msg) ? { sec, nsec, labels, msg } : null);
            continue;
          }
        }
      }
      this.#parsed(buf, lineStart, e, e < n);
    }
  }

  /** The message of a line whose last field it is: its JSON string literal, parsed alone. */
  #message(buf: Buffer, msgStart: number, end: number): string | null {
    try {
      const v: unknown = JSON.parse(utf8.decode(buf.subarray(msgStart - 1, end - 1)));
      return typeof v === "string" ? v : null;
    } catch {
      return null;
    }
  }

  /**
   * The parsing path: exactly what reading entries does (lines that are not entries are not counted, and reported
   * unless the line lacks its newline: the torn tail of a plain file being written).
   */
  #parsed(buf: Buffer, start: number, end: number, terminated: boolean): void {
    const line = utf8.decode(buf.subarray(start, end));
    const entry = decodeEntryLine(line);
    if (entry !== null) this.#tally.addLine(entry.sec, entry.nsec, entry.labels, isErrorLine(entry.msg) ? entry : null);
    else if (terminated) this.nonEntries.add(line);
  }

  #labelsAt(buf: Buffer, start: number, end: number): Labels | null {
    const key = buf.toString("latin1", start, end);
    let labels = this.#labels.get(key);
    if (labels === undefined) {
      const found = labelsFromJson(utf8.decode(buf.subarray(start, end)));
      if (found === null) return null;
      labels = found;
      this.#labels.set(key, labels);
    }
    return labels;
  }
}
