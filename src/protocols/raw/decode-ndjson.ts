/** logtap raw push `POST /logtap/raw`: capture-entry JSON objects back to back (upstream-behaviour.md §3.5, entry schema §2.3). */

import { EMPTY_LABELS, type Entry, type Labels } from "../../model/entry.ts";
import { isZeroInstant, nowInstant, parseRfc3339, type Instant } from "../../capture/timestamp.ts";
import { PushDecodeError, jsonSyntaxDetail, quoteForError } from "../push-decode-error.ts";
import { internSortedPairs, sortPairs } from "../labels-interner.ts";
import { isPlainObject, sortedStringRecord } from "../string-record.ts";

const utf8 = new TextDecoder();
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

function fail(line: number, reason: string): never {
  throw new PushDecodeError(`invalid JSON line: line ${line}: ${reason}`);
}

/**
 * `{"ts":"<RFC3339>","labels":{…},"msg":"…","meta":{…}}` objects separated by any whitespace (Go's json.Decoder
 * accepts them on one line too). All-or-nothing: every object is decoded before anything is returned, and the
 * first bad one rejects the push, naming the line it starts on. Missing, null or zero `ts` → receive time.
 * Labels are kept exactly as sent (this is logtap's own format, replayed captures must round-trip).
 */
export function decodeRawNdjson(body: Uint8Array): Entry[] {
  const text = utf8.decode(body);
  const entries: Entry[] = [];
  let line = 1;
  let i = 0;
  for (;;) {
    let c = text.charCodeAt(i);
    while (c === SPACE || c === LF || c === TAB || c === CR) {
      if (c === LF) line++;
      c = text.charCodeAt(++i);
    }
    if (i >= text.length) return entries;
    const startLine = line;
    if (c !== LBRACE) fail(startLine, "expected a JSON object");
    // Find the object's end by brackets, skipping strings, so JSON.parse sees exactly one value.
    let depth = 0;
    let end = -1;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === DQUOTE) {
        j = closingQuote(text, j);
        if (j < 0) break;
      } else if (d === LBRACE || d === LBRACKET) {
        depth++;
      } else if (d === RBRACE || d === RBRACKET) {
        if (--depth === 0) {
          end = j + 1;
          break;
        }
      } else if (d === LF) {
        line++;
      }
    }
    if (end < 0) fail(startLine, "unexpected end of input");
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(text.slice(i, end));
    } catch (err) {
      fail(startLine, jsonSyntaxDetail(err));
    }
    entries.push(toEntry(value, startLine));
    i = end;
  }
}

function closingQuote(text: string, open: number): number {
  let q = open;
  for (;;) {
    q = text.indexOf('"', q + 1);
    if (q < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) return q;
  }
}

function toEntry(value: Record<string, unknown>, line: number): Entry {
  const { msg, meta } = value;
  const time = entryTime(value.ts, line);
  if (msg !== undefined && msg !== null && typeof msg !== "string") fail(line, "msg must be a string");
  const entry: Entry = { sec: time.sec, nsec: time.nsec, labels: entryLabels(value.labels, line), msg: msg ?? "" };
  if (meta !== undefined && meta !== null) {
    const record = isPlainObject(meta) ? sortedStringRecord(meta) : null;
    if (record === null) fail(line, "meta must be an object of strings");
    if (record !== undefined) entry.meta = record;
  }
  return entry;
}

function entryTime(ts: unknown, line: number): Instant {
  if (ts === undefined || ts === null) return nowInstant();
  if (typeof ts !== "string") fail(line, "ts must be a string");
  const time = parseRfc3339(ts);
  if (time === null) fail(line, `ts is not an RFC3339 timestamp: ${quoteForError(ts)}`);
  return isZeroInstant(time) ? nowInstant() : time;
}

function entryLabels(labels: unknown, line: number): Labels {
  if (labels === undefined || labels === null) return EMPTY_LABELS;
  if (!isPlainObject(labels)) fail(line, "labels must be an object");
  const pairs: string[] = [];
  for (const name of Object.keys(labels)) {
    const value = labels[name];
    if (typeof value !== "string") fail(line, `labels.${name} must be a string`);
    pairs.push(name, value);
  }
  sortPairs(pairs);
  return internSortedPairs(pairs);
}
