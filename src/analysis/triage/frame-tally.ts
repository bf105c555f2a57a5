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
 */

import { EMPTY_LABELS, type Labels } from "../../model/entry.ts";
import { decodeEntryLine, labelsFromJson } from "../../capture/entry-line.ts";
import { parseRfc3339In } from "../../capture/timestamp.ts";
import { ERROR_KEYWORDS, FOLDING_CHARS, isErrorLine } from "../signature/error-line.ts";
import { LiteralScanner } from "../../scan/literal-scanner.ts";
import type { UnitTally } from "./unit-tally.ts";

const TS_OPEN = '{"ts":"';
const AFTER_TS_MSG = ',"msg":"';
const AFTER_TS_LABELS = ',"labels":{';
const LABELS_END = '},"msg":"';
const UNICODE_ESCAPE = "\\u";
// The UTF-8 bytes of the folding characters, as the latin1 text of a frame shows them.
const FOLDING_BYTES = FOLDING_CHARS.map((c) => Buffer.from(c, "utf8").toString("latin1"));

const utf8 = new TextDecoder();

/**
 * The keywords' starts in a frame's bytes (SIMD; a /gi regex over the frame's text was a quarter of triage). One
 * scanner for the thread, not one per unit: a new one costs ~5 ms to instantiate and grow.
 */
let scanner: LiteralScanner | null = null;
const keywordScanner = () => (scanner ??= new LiteralScanner(ERROR_KEYWORDS, true));

/** A cursor over the occurrences of a fixed string, moved forward line by line. */
class Occurrences {
  #at: number;
  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {
    this.#at = text.indexOf(needle);
  }

  /** Whether an occurrence starts in [from, to); the cursor never moves back. */
  within(from: number, to: number): boolean {
    if (this.#at >= 0 && this.#at < from) this.#at = this.text.indexOf(this.needle, from);
    return this.#at >= 0 && this.#at < to;
  }
}

export class FrameTally {
  readonly #tally: UnitTally;
  // Label text (latin1 view) → interned set; a unit has a handful of streams.
  readonly #labels = new Map<string, Labels>();
  readonly #ts = { sec: 0, nsec: 0 };

  constructor(tally: UnitTally) {
    this.#tally = tally;
  }

  add(bytes: Uint8Array): void {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    // One byte per character: positions in this string are byte offsets, and every search is a native string search.
    const text = buf.toString("latin1");
    const escapes = new Occurrences(text, UNICODE_ESCAPE);
    const folds = FOLDING_BYTES.map((f) => new Occurrences(text, f));
    // Keyword starts, in order; a match is letters, digits and spaces, so one starting inside a line's message lies
    // within it (it cannot cross the quote before the message or the newline after it).
    const kw = keywordScanner().scan(bytes);
    let next = 0;
    // Lines of one stream are adjacent: compare with the previous line's label text before any lookup.
    let prevKey = "";
    let prevLabels: Labels = EMPTY_LABELS;
    const n = text.length;
    let s = 0;
    while (s < n) {
      let e = text.indexOf("\n", s);
      if (e < 0) e = n;
      const lineStart = s;
      s = e + 1;
      if (e === lineStart) continue;
      // The fast path needs the writers' layout: {"ts":"…"[,"labels":{…}],"msg":"…"…}
      let fast = text.startsWith(TS_OPEN, lineStart) && text.charCodeAt(e - 1) === 0x7d;
      let tsEnd = -1;
      let msgStart = -1;
      let labels = EMPTY_LABELS;
      if (fast) {
        tsEnd = text.indexOf('"', lineStart + TS_OPEN.length);
        if (tsEnd < 0 || tsEnd >= e) fast = false;
        else if (text.startsWith(AFTER_TS_MSG, tsEnd + 1)) msgStart = tsEnd + 1 + AFTER_TS_MSG.length;
        else if (text.startsWith(AFTER_TS_LABELS, tsEnd + 1)) {
          const ls = tsEnd + AFTER_TS_LABELS.length; // at the `{`
          const le = text.indexOf(LABELS_END, ls);
          if (le < 0 || le >= e) fast = false;
          else {
            msgStart = le + LABELS_END.length;
            const end = le + 1;
            if (end - ls === prevKey.length && text.startsWith(prevKey, ls)) labels = prevLabels;
            else {
              const key = text.slice(ls, end);
              const found = this.#labelsAt(buf, key, ls, end);
              if (found === null) fast = false;
              else {
                labels = prevLabels = found;
                prevKey = key;
              }
            }
          }
        } else fast = false;
      }
      if (fast && (escapes.within(lineStart, e) || folds[0]!.within(lineStart, e) || folds[1]!.within(lineStart, e))) fast = false;
      if (fast) {
        // Keyword matches before this message (in labels, or earlier lines) say nothing about it.
        while (next < kw.length && kw[next]! < msgStart) next++;
        if (parseRfc3339In(text, lineStart + TS_OPEN.length, tsEnd, this.#ts)) {
          if (next === kw.length || kw[next]! >= e) {
            this.#tally.addLine(this.#ts.sec, this.#ts.nsec, labels, null);
            continue;
          }
          // A likely error line: only its message is needed. When the line ends with `"}` the message is its last
          // field (a `meta` object would end it with `}}`), so the stored string literal is exactly the message;
          // anything else there makes the literal invalid JSON, and the line takes the parsing path.
          const msg = e - 2 >= msgStart && text.charCodeAt(e - 2) === 0x22 ? this.#message(buf, msgStart, e) : null;
          if (msg !== null) {
            const { sec, nsec } = this.#ts;
            this.#tally.addLine(sec, nsec, labels, isErrorLine(msg) ? { sec, nsec, labels, msg } : null);
            continue;
          }
        }
      }
      this.#parsed(buf, lineStart, e);
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

  /** The parsing path: exactly what reading entries does (lines that are not entries are not counted). */
  #parsed(buf: Buffer, start: number, end: number): void {
    const entry = decodeEntryLine(utf8.decode(buf.subarray(start, end)));
    if (entry !== null) this.#tally.addLine(entry.sec, entry.nsec, entry.labels, isErrorLine(entry.msg) ? entry : null);
  }

  #labelsAt(buf: Buffer, key: string, start: number, end: number): Labels | null {
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
