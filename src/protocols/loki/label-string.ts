/**
 * Loki stream label strings `{app="web"}`, parsed as Loki's syntax.ParseLabels does: Prometheus 3's
 * promql/parser ParseMetric (lex.go, generated_parser.y, util/strutil/quote.go), then labels.NewBuilder dropping
 * empty values, then the distributor's duplicate-name check (protocols-and-peers.md §1, Protobuf body;
 * docs/compatibility.md "Label strings").
 */

import type { Labels } from "../../model/entry.ts";
import { PushDecodeError } from "../push-decode-error.ts";
import { internSortedPairs, lookupRawLabels, rememberRawLabels, sortPairs } from "../labels-interner.ts";

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const SQUOTE = 39;
const COMMA = 44;
const COLON = 58;
const EQUALS = 61;
const BACKSLASH = 92;
const BACKQUOTE = 96;
const LBRACE = 123;
const RBRACE = 125;
const TILDE = 126;
const REPLACEMENT = 0xfffd;

const METRIC_NAME = "__name__";
const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
const MATCHERS = new Set(["!=", "=~", "!~"]);
/** Words PromQL's lexer turns into tokens that its `metric_identifier` rule does not accept (matched case-insensitively). */
const NOT_METRIC_NAMES = new Set(["bool", "on", "ignoring", "group_left", "group_right", "atan2", "inf", "nan"]);
const UNQUOTED_NAME_RULE = "unquoted label names are [a-zA-Z_][a-zA-Z0-9_]*, quote any other";
const utf8 = new TextDecoder();

/**
 * Parses a Prometheus/LogQL label string into the interned Labels for it, accepting exactly what Loki accepts:
 * an optional metric name before the braces, unquoted or quoted (any UTF-8) label names, `{"name"}` for the metric
 * name, values in "…" or '…' (Go escapes) or `…` (raw), whitespace and `#` line comments between tokens, a trailing
 * comma; "" and "{}" are the empty set. A name that has an empty value anywhere is dropped (Loki's normalisation);
 * duplicate and empty names are rejected.
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
  for (;;) {
    const c = src.charCodeAt(i);
    // Every token but whitespace and "#" is above the space character: one comparison in the common case.
    if (c > SPACE && c !== HASH) return i;
    if (c === SPACE || c === TAB || c === LF || c === CR) i++;
    else if (c === HASH) {
      // PromQL line comment: the lexer drops it up to the line end, inside braces as well as outside.
      let d = src.charCodeAt(++i);
      while (d !== LF && d !== CR && i < src.length) d = src.charCodeAt(++i);
    } else return i;
  }
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isQuote(c: number): boolean {
  return c === DQUOTE || c === SQUOTE || c === BACKQUOTE;
}

/** Characters the label-set grammar gives a meaning to; anything else next to a name is part of a would-be name. */
function endsWord(c: number): boolean {
  return c !== c || c === SPACE || c === TAB || c === LF || c === CR || c === HASH || c === EQUALS || c === BANG ||
    c === COMMA || c === LBRACE || c === RBRACE || isQuote(c);
}

/** A name-like word the lexer can't take unquoted (`service.name`, `1app`): say so, rather than "expected =". */
function failUnquotedName(src: string, start: number, at: number): never {
  let end = at;
  while (end < src.length && !endsWord(src.charCodeAt(end))) end++;
  fail(src, at, `label name ${JSON.stringify(src.slice(start, end))} must be quoted (${UNQUOTED_NAME_RULE})`);
}

function describeAt(src: string, i: number): string {
  return i >= src.length ? "unexpected end" : `unexpected ${JSON.stringify(src[i])}`;
}

// Set by the token readers: index just past what they read. Avoids allocating a result tuple per token.
let tokenEnd = 0;

/** Flat name-sorted `[name, value, …]` list, as Loki stores the stream's labels. */
function scanLabels(src: string): string[] {
  const pairs: string[] = [];
  let hasEmpty = false;
  let metricName = "";
  let i = skipSpace(src, 0);
  const first = src.charCodeAt(i);
  if (isNameStart(first) || first === COLON) {
    metricName = readMetricName(src, i);
    if (!endsWord(src.charCodeAt(tokenEnd))) {
      let end = tokenEnd;
      while (end < src.length && !endsWord(src.charCodeAt(end))) end++;
      const word = JSON.stringify(src.slice(i, end));
      fail(src, tokenEnd, `metric name ${word} must be quoted inside the braces, as {${word}, …}`);
    }
    i = skipSpace(src, tokenEnd);
    if (i < src.length && src.charCodeAt(i) !== LBRACE) fail(src, i, `expected "{" after metric name "${metricName}"`);
  }
  if (i < src.length) {
    if (src.charCodeAt(i) !== LBRACE) fail(src, i, `expected "{" or a metric name, ${describeAt(src, i)}`);
    i = skipSpace(src, i + 1);
    while (src.charCodeAt(i) !== RBRACE) {
      const start = i;
      const c = src.charCodeAt(i);
      let name: string;
      if (isNameStart(c)) {
        let d = src.charCodeAt(++i);
        while (isNameChar(d)) d = src.charCodeAt(++i);
        if (d !== EQUALS && !endsWord(d)) failUnquotedName(src, start, i);
        name = src.slice(start, i);
      } else if (isQuote(c)) {
        name = readString(src, i);
        i = tokenEnd;
      } else if (i < src.length && !endsWord(c)) {
        failUnquotedName(src, start, i);
      } else {
        fail(src, i, `expected label name, ${describeAt(src, i)}`);
      }
      i = skipSpace(src, i);
      const op = src.charCodeAt(i);
      if (op === EQUALS && src.charCodeAt(i + 1) !== TILDE) {
        i = skipSpace(src, i + 1);
        if (!isQuote(src.charCodeAt(i))) fail(src, i, `expected quoted label value for "${name}", ${describeAt(src, i)}`);
        const value = readString(src, i);
        if (value === "") hasEmpty = true;
        pairs.push(name, value);
        i = skipSpace(src, tokenEnd);
      } else if (!isNameStart(c) && (op === COMMA || op === RBRACE)) {
        // `{"metric_name"}`: a lone quoted string is the metric name (Prometheus 3).
        if (name === "") hasEmpty = true;
        pairs.push(METRIC_NAME, name);
      } else if (MATCHERS.has(src.slice(i, i + 2))) {
        fail(src, i, `matcher "${src.slice(i, i + 2)}" after label name "${name}": a stream's labels take "=" only`);
      } else {
        fail(src, i, `expected "=" after label name "${name}", ${describeAt(src, i)}`);
      }
      const sep = src.charCodeAt(i);
      if (sep === COMMA) i = skipSpace(src, i + 1);
      else if (sep !== RBRACE) fail(src, i, `expected "," or "}", ${describeAt(src, i)}`);
    }
    i = skipSpace(src, i + 1);
    if (i !== src.length) fail(src, i, 'unexpected text after "}"');
  }
  if (metricName !== "") {
    // The name outside the braces wins over any __name__ inside them, as ParseMetric's label builder does.
    removeNames(pairs, (n) => n === METRIC_NAME);
    pairs.push(METRIC_NAME, metricName);
  }
  // Loki drops a label name altogether when any of its values is empty (labels.Builder deletes by name).
  if (hasEmpty) {
    const emptyNames = new Set<string>();
    for (let p = 0; p < pairs.length; p += 2) if (pairs[p + 1] === "") emptyNames.add(pairs[p]!);
    removeNames(pairs, (n) => emptyNames.has(n));
  }
  sortPairs(pairs);
  for (let p = 0; p < pairs.length; p += 2) {
    if (pairs[p] === "") fail(src, -1, "empty label name");
    if (p > 0 && pairs[p] === pairs[p - 2]) fail(src, -1, `duplicate label name ${JSON.stringify(pairs[p])}`);
  }
  return pairs;
}

function removeNames(pairs: string[], drop: (name: string) => boolean): void {
  let out = 0;
  for (let p = 0; p < pairs.length; p += 2) {
    if (drop(pairs[p]!)) continue;
    pairs[out++] = pairs[p]!;
    pairs[out++] = pairs[p + 1]!;
  }
  pairs.length = out;
}

/** PromQL's metric identifier: [a-zA-Z_:][a-zA-Z0-9_:]*, not one of the keywords it can't be. */
function readMetricName(src: string, start: number): string {
  let i = start;
  let c = src.charCodeAt(i);
  while (isNameChar(c) || c === COLON) c = src.charCodeAt(++i);
  const name = src.slice(start, i);
  if (NOT_METRIC_NAMES.has(name.toLowerCase())) fail(src, start, `"${name}" is a PromQL keyword, not a metric name`);
  tokenEnd = i;
  return name;
}

/** A quoted string starting at `open` (its quote character), unquoted as strutil.Unquote does. */
function readString(src: string, open: number): string {
  const quote = src.charCodeAt(open);
  if (quote === BACKQUOTE) {
    const end = src.indexOf("`", open + 1);
    if (end < 0) fail(src, open, "unterminated raw string");
    // Unlike Go's strconv.Unquote, Prometheus keeps carriage returns in raw strings.
    for (let j = open + 1; j < end; j++) if (src.charCodeAt(j) >= 0xd800) j = checkRune(src, j);
    tokenEnd = end + 1;
    return src.slice(open + 1, end);
  }
  let j = open + 1;
  for (;;) {
    const c = src.charCodeAt(j);
    if (c === quote) break;
    if (c === BACKSLASH) return readEscaped(src, open, quote);
    if (c === LF || j >= src.length) fail(src, open, "unterminated quoted string");
    j = c >= 0xd800 ? checkRune(src, j) + 1 : j + 1;
  }
  tokenEnd = j + 1;
  return src.slice(open + 1, j);
}

/**
 * Go's lexer decodes the input as UTF-8 and refuses U+FFFD inside strings: that is what invalid UTF-8 decodes to
 * (here the protobuf/JSON decoders have already replaced it), and a lone surrogate from a JSON `\ud800` becomes it
 * in Go too. Returns the index of the rune's last code unit.
 */
function checkRune(src: string, j: number): number {
  const c = src.charCodeAt(j);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = src.charCodeAt(j + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return j + 1;
  } else if (c < 0xdc00 || (c > 0xdfff && c !== REPLACEMENT)) {
    return j;
  }
  fail(src, j, "invalid UTF-8 in quoted string");
}

/** Slow path for strings with escapes; \x and octal escapes are bytes, so runs of them are UTF-8 decoded. */
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
      while (d !== BACKSLASH && d !== quote && d !== LF && j < src.length) {
        j = d >= 0xd800 ? checkRune(src, j) + 1 : j + 1;
        d = src.charCodeAt(j);
      }
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
    } else if (e === "") {
      fail(src, open, "unterminated quoted string");
    } else {
      fail(src, j, `unknown escape sequence "\\${e}"`);
    }
  }
  tokenEnd = j + 1;
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
