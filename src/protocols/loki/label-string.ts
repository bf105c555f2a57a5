/** Loki stream label strings `{app="web"}`, parsed as LogQL's syntax.ParseLabels does (protocols-and-peers.md §1, Protobuf body). */

import type { Labels } from "../../../pipeline/entry.ts";
import { PushDecodeError } from "../push-decode-error.ts";
import { internSortedPairs, lookupRawLabels, rememberRawLabels, sortPairs } from "../labels-interner.ts";

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const SQUOTE = 39;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const BACKQUOTE = 96;
const LBRACE = 123;
const RBRACE = 125;

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
const utf8 = new TextDecoder();

/**
 * Parses a Prometheus/LogQL label string into the interned Labels for it. Like Loki (which uses PromQL's
 * ParseMetric): whitespace anywhere between tokens, trailing comma allowed, values in "…", '…' (Go escapes) or
 * `…` (raw), labels with empty values dropped, "" and "{}" both the empty set; duplicate names rejected as
 * Loki's validator does. Unlike ParseMetric, a leading metric name is not accepted: Loki streams never carry one.
 */
export function parseLabelString(raw: string): Labels {
  const cached = lookupRawLabels(raw);
  if (cached !== undefined) return cached;
  const labels = internSortedPairs(scanLabels(raw));
  rememberRawLabels(raw, labels);
  return labels;
}

/** `at` < 0: the problem has no single position. */
function fail(src: string, at: number, reason: string): never {
  const shown = src.length > 120 ? src.slice(0, 120) + "…" : src;
  const where = at < 0 ? "" : ` at offset ${at}`;
  throw new PushDecodeError(`couldn't parse labels: ${reason}${where}: ${shown}`);
}

function skipSpace(src: string, i: number): number {
  let c = src.charCodeAt(i);
  while (c === SPACE || c === TAB || c === LF || c === CR) c = src.charCodeAt(++i);
  return i;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** Flat name-sorted `[name, value, …]` list, empty values removed. */
function scanLabels(src: string): string[] {
  const pairs: string[] = [];
  let i = skipSpace(src, 0);
  if (i === src.length) return pairs;
  if (src.charCodeAt(i) !== LBRACE) fail(src, i, 'expected "{"');
  i = skipSpace(src, i + 1);
  while (src.charCodeAt(i) !== RBRACE) {
    const start = i;
    if (!isNameStart(src.charCodeAt(i))) fail(src, i, i === src.length ? "unexpected end" : "expected label name");
    while (isNameChar(src.charCodeAt(++i)));
    const name = src.slice(start, i);
    i = skipSpace(src, i);
    if (src.charCodeAt(i) !== EQUALS) fail(src, i, `expected "=" after label name "${name}"`);
    i = skipSpace(src, i + 1);
    pairs.push(name, readValue(src, i));
    i = skipSpace(src, valueEnd);
    const c = src.charCodeAt(i);
    if (c === COMMA) i = skipSpace(src, i + 1);
    else if (c !== RBRACE) fail(src, i, i === src.length ? "unexpected end" : 'expected "," or "}"');
  }
  i = skipSpace(src, i + 1);
  if (i !== src.length) fail(src, i, 'unexpected text after "}"');
  sortPairs(pairs);
  return dropEmptyValues(src, pairs);
}

function dropEmptyValues(src: string, pairs: string[]): string[] {
  let out = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    if (i > 0 && pairs[i] === pairs[i - 2]) fail(src, -1, `duplicate label name "${pairs[i]}"`);
    if (pairs[i + 1] === "") continue;
    pairs[out++] = pairs[i]!;
    pairs[out++] = pairs[i + 1]!;
  }
  pairs.length = out;
  return pairs;
}

// Set by readValue: index just past the closing quote. Avoids allocating a result tuple per value.
let valueEnd = 0;

function readValue(src: string, i: number): string {
  const quote = src.charCodeAt(i);
  if (quote === BACKQUOTE) {
    const end = src.indexOf("`", i + 1);
    if (end < 0) fail(src, i, "unterminated raw string");
    valueEnd = end + 1;
    // Go's strconv.Unquote discards carriage returns inside raw strings.
    return src.slice(i + 1, end).replaceAll("\r", "");
  }
  if (quote !== DQUOTE && quote !== SQUOTE) fail(src, i, "expected quoted label value");
  let j = i + 1;
  for (;;) {
    const c = src.charCodeAt(j);
    if (c === quote) break;
    if (c === BACKSLASH) return readEscaped(src, i, quote);
    if (c === LF || j >= src.length) fail(src, i, "unterminated quoted string");
    j++;
  }
  valueEnd = j + 1;
  return src.slice(i + 1, j);
}

/** Slow path for values with Go escape sequences; \x and octal escapes are bytes, so runs of them are UTF-8 decoded. */
function readEscaped(src: string, open: number, quote: number): string {
  let out = "";
  const bytes: number[] = [];
  let j = open + 1;
  for (;;) {
    const c = src.charCodeAt(j);
    if (c === LF || j >= src.length) fail(src, open, "unterminated quoted string");
    const e = c === BACKSLASH ? (src[j + 1] ?? "") : "";
    if (e === "x" || (e >= "0" && e <= "7")) {
      bytes.push(readByteEscape(src, j, e));
      j += 4;
      continue;
    }
    if (bytes.length > 0) {
      out += utf8.decode(Uint8Array.from(bytes));
      bytes.length = 0;
    }
    if (c === quote) break;
    if (c !== BACKSLASH) {
      const runStart = j;
      let d = c;
      while (d !== BACKSLASH && d !== quote && d !== LF && j < src.length) d = src.charCodeAt(++j);
      out += src.slice(runStart, j);
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined || e.charCodeAt(0) === quote) {
      out += simple ?? e;
      j += 2;
    } else if (e === "u" || e === "U") {
      const width = e === "u" ? 4 : 8;
      out += String.fromCodePoint(readCodePoint(src, j, width));
      j += 2 + width;
    } else {
      fail(src, j, "unknown escape sequence");
    }
  }
  valueEnd = j + 1;
  return out;
}

function readByteEscape(src: string, at: number, kind: string): number {
  const octal = kind !== "x";
  const digits = octal ? src.slice(at + 1, at + 4) : src.slice(at + 2, at + 4);
  const byte = parseInt(digits, octal ? 8 : 16);
  if (!(octal ? /^[0-7]{3}$/ : /^[0-9a-fA-F]{2}$/).test(digits) || byte > 255) fail(src, at, "invalid escape sequence");
  return byte;
}

function readCodePoint(src: string, at: number, width: number): number {
  const digits = src.slice(at + 2, at + 2 + width);
  const cp = parseInt(digits, 16);
  const valid = digits.length === width && /^[0-9a-fA-F]+$/.test(digits) && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
  if (!valid) fail(src, at, "invalid escape sequence");
  return cp;
}
