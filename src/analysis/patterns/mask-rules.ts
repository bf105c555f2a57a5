/**
 * What a mask is: the character classes, the shapes the masks take (the table in masks.ts) and `maskAt`, which says
 * whether a mask starts at an alphanumeric run of a token and where it ends. masks.ts walks the tokens and builds
 * their text; this module only decides.
 */

// Character classes of the ASCII range, one lookup per character.
export const DIGIT = 1;
export const HEX_LETTER = 2;
export const LETTER = 4;
export const SPACE = 8;
const B64 = 16; // base64url and base64 symbols besides letters and digits
const UPPER = 32;
export const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER | UPPER | (c <= 70 ? HEX_LETTER : 0);
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER | (c <= 102 ? HEX_LETTER : 0);
for (const c of [9, 10, 11, 12, 13, 32]) CLASS[c] = SPACE;
for (const c of "+/_-") CLASS[c.charCodeAt(0)] |= B64;

const cls = (c: number) => (c < 128 ? CLASS[c]! : 0);
export const isAlnum = (c: number) => (cls(c) & (DIGIT | LETTER)) !== 0;
export const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => (cls(c) & (DIGIT | HEX_LETTER)) !== 0;

const MICRO = 0xb5;

/** The masks' names, indexed by the code `maskAt` reports. */
export const MASK_NAMES = ["<UUID>", "<TS>", "<IP>", "<HOST>", "<EMAIL>", "<HEX>", "<DUR>", "<ID>", "<NUM>"] as const;
const UUID = 0;
const TS = 1;
const IP = 2;
const HOST = 3;
const EMAIL = 4;
const HEX = 5;
const DUR = 6;
const ID = 7;
export const NUM = 8;

// Composite masks, tried only where their shape can start (sticky: they match at lastIndex or not at all).
const UUID_RE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z])/y;
const TS_RE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[.\d]*Z?/y;
const IP_RE = /\d{1,3}(?:\.\d{1,3}){3}(?:,\d{1,3}(?:\.\d{1,3}){3})*(?![0-9A-Za-z.])/y;
const HOST_RE = /(?:[A-Za-z0-9_-]+\.){2,}[A-Za-z][A-Za-z0-9_-]*:\d{1,5}(?![0-9A-Za-z.])/y;
/** A placeholder already in the text (`<UUID>` of a triage signature, upstream's `<N>`). */
export const PLACEHOLDER_RE = /<[A-Z*]{1,8}>/y;
const EMAIL_RE = /[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?![A-Za-z0-9.@])/y;
const DURATION_UNITS = new Set(["ms", "us", "ns", "s", "m", "h"]);

/**
 * What each placeholder of a template stands for, in RE2 syntax (valid JS too), for the `grep` and `slice` commands
 * triage suggests: a template's text with these in place of its placeholders finds its lines. `<*>` is any token part.
 */
export const PLACEHOLDER_SOURCES: ReadonlyMap<string, string> = new Map([
  ["<UUID>", "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"],
  ["<TS>", "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[.\\d]*Z?"],
  ["<IP>", "\\d{1,3}(?:\\.\\d{1,3}){3}(?:,\\d{1,3}(?:\\.\\d{1,3}){3})*"],
  ["<HOST>", "(?:[A-Za-z0-9_-]+\\.){2,}[A-Za-z][A-Za-z0-9_-]*:\\d{1,5}"],
  ["<EMAIL>", "[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+"],
  ["<HEX>", "0[xX][0-9a-fA-F]+"],
  ["<DUR>", "[-+]?\\d+(?:\\.\\d+)?(?:ms|us|µs|ns|s|m|h)"],
  ["<ID>", "[A-Za-z0-9+/_-]{8,}=*"],
  ["<NUM>", "[-+]?\\d+(?:\\.\\d+)?"],
  ["<*>", "\\S*"],
]);

/** The mask maskAt found last: its code (an index of MASK_NAMES) and the end of its text. */
export const found = { code: 0, end: 0 };
/** Whether the token being masked has a `:` followed by a digit (a host with a port may be in it). */
let hostPossible = false;
/** Whether an e-mail address may be in the rest of that token: it has an `@` at or after the run being looked at. */
let emailPossible = false;
/** That `@`, and where the run of characters an address's local part may hold ends before it. */
let emailAt = 0;
let localStart = 0;
function hit(code: number, end: number): boolean {
  found.code = code;
  found.end = end;
  return true;
}

/**
 * Prepares maskAt for the token msg[start, end), given what the masker's scan saw in it: an `@` (or no e-mail is
 * tried) and a `:` before a digit (or no host with a port is tried).
 */
export function beginToken(msg: string, start: number, end: number, hasAt: boolean, hasPort: boolean): void {
  hostPossible = hasPort;
  emailPossible = hasAt && nextAt(msg, start, end);
}

/**
 * Finds the first `@` at or after p in the token, and how far back from it a local part may start: EMAIL_RE can only
 * match from a run inside that stretch, so it is tried nowhere else.
 */
function nextAt(msg: string, p: number, end: number): boolean {
  const at = msg.indexOf("@", p);
  if (at < 0 || at >= end) return false;
  let s = at;
  while (s > p && LOCAL_PART[msg.charCodeAt(s - 1)] === 1) s--;
  emailAt = at;
  localStart = s;
  return true;
}

const LOCAL_PART = new Uint8Array(65536);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-") LOCAL_PART[c.charCodeAt(0)] = 1;

/** Whether a mask starts at the alphanumeric run msg[p, runEnd) of the token that ends at `end` (then see `found`). */
export function maskAt(msg: string, p: number, runEnd: number, end: number): boolean {
  const len = runEnd - p;
  const first = msg.charCodeAt(p);
  const next = runEnd < end ? msg.charCodeAt(runEnd) : 0;
  if (emailPossible && p > emailAt) emailPossible = nextAt(msg, p, end);
  if (emailPossible && p >= localStart && stickyEnd(EMAIL_RE, msg, p, end) > 0) return hit(EMAIL, EMAIL_RE.lastIndex);
  if (len === 8 && next === 45 && isHex(first) && stickyEnd(UUID_RE, msg, p, end) > 0) return hit(UUID, UUID_RE.lastIndex);
  if (isDigit(first)) {
    if (next === 45 && len === 4 && stickyEnd(TS_RE, msg, p, end) > 0) return hit(TS, TS_RE.lastIndex);
    if (next === 46 && len <= 3 && dottedQuad(msg, runEnd, end) && stickyEnd(IP_RE, msg, p, end) > 0) return hit(IP, IP_RE.lastIndex);
    if (len > 2 && first === 48 && (msg.charCodeAt(p + 1) | 32) === 120 && isHex(msg.charCodeAt(p + 2))) {
      let q = p + 2;
      while (q < runEnd && isHex(msg.charCodeAt(q))) q++;
      return hit(HEX, q);
    }
  }
  if (hostPossible && (next === 46 || next === 45 || next === 95) && (cls(first) & LETTER) !== 0 && hostShape(msg, runEnd, end) && stickyEnd(HOST_RE, msg, p, end) > 0) {
    return hit(HOST, HOST_RE.lastIndex);
  }
  // An id shorter than 16 can only grow past its alphanumeric run through a base64 symbol.
  const b64 = end - p >= 16 && (len >= 16 || (cls(next) & B64) !== 0) ? base64End(msg, p, end) : 0;
  if (b64 > 0) return hit(ID, b64);
  // Digits, maybe a fraction, maybe a unit: a number or a duration; a run with other letters is left alone.
  let q = p;
  while (q < runEnd && isDigit(msg.charCodeAt(q))) q++;
  if (q === p) return hexRun(msg, p, runEnd);
  let numEnd = q;
  let unitFrom = q;
  let unitEnd = runEnd;
  if (q === runEnd && next === 46 && runEnd + 1 < end && isDigit(msg.charCodeAt(runEnd + 1))) {
    let f = runEnd + 1;
    while (f < end && isDigit(msg.charCodeAt(f))) f++;
    numEnd = unitFrom = f;
    unitEnd = f;
    while (unitEnd < end && isAlnum(msg.charCodeAt(unitEnd))) unitEnd++;
  }
  if (unitFrom === unitEnd) {
    if (unitEnd < end && msg.charCodeAt(unitEnd) === MICRO && msg.charCodeAt(unitEnd + 1) === 115 && !isAlnum(msg.charCodeAt(unitEnd + 2))) return hit(DUR, unitEnd + 2);
    return hit(NUM, numEnd);
  }
  if (DURATION_UNITS.has(msg.slice(unitFrom, unitEnd))) return hit(DUR, unitEnd);
  return numEnd === q && q < runEnd ? hexRun(msg, p, runEnd) : false;
}

// Shapes the composite masks need, checked by hand before their regex runs: most runs where one could start are not
// one (`rt=0.832`, `client.go:370`), and a regex call costs as much as masking a short token.

/** After an IPv4's first number, at its first dot: `.d{1,3}.d{1,3}.d` follows. */
function dottedQuad(msg: string, dot: number, end: number): boolean {
  let q = dot;
  for (let group = 0; group < 2; group++) {
    const from = ++q;
    while (q < end && q - from < 3 && isDigit(msg.charCodeAt(q))) q++;
    if (q === from || q >= end || msg.charCodeAt(q) !== 46) return false;
  }
  return q + 1 < end && isDigit(msg.charCodeAt(q + 1));
}

/** From a host's first segment's end: the name's characters run on, with two dots or more, to a `:` and a digit. */
function hostShape(msg: string, q: number, end: number): boolean {
  let dots = 0;
  for (; q < end; q++) {
    const c = msg.charCodeAt(q);
    if (c === 46) dots++;
    else if (!(isAlnum(c) || c === 45 || c === 95)) break;
  }
  return dots >= 2 && q + 1 < end && msg.charCodeAt(q) === 58 && isDigit(msg.charCodeAt(q + 1));
}

/** A run of 8+ hex characters with a digit and a letter (a run of only digits is a number). */
function hexRun(msg: string, p: number, runEnd: number): boolean {
  if (runEnd - p < 8) return false;
  let digit = false;
  let letter = false;
  for (let k = p; k < runEnd; k++) {
    const c = msg.charCodeAt(k);
    if (isDigit(c)) digit = true;
    else if (cls(c) & HEX_LETTER) letter = true;
    else return false;
  }
  return digit && letter ? hit(ID, runEnd) : false;
}

/**
 * The end of a base64-like id starting at p: 16+ characters of the base64 alphabets (`=` padding only at the end),
 * with a digit, an upper-case and a lower-case letter, switching between those three classes at least every third
 * character as random text does (so `DFSClient_1537864556_1`, `totalCalories` and `Go-http-client/1` stay words);
 * 0 when there is none.
 */
function base64End(msg: string, p: number, end: number): number {
  let q = p;
  let kinds = 0;
  let switches = 0;
  let prev = 0;
  while (q < end) {
    const k = cls(msg.charCodeAt(q));
    if ((k & (DIGIT | LETTER | B64)) === 0) break;
    const kind = k & DIGIT ? 1 : k & UPPER ? 2 : k & LETTER ? 4 : 0;
    if (kind !== 0) {
      if (kind !== prev) switches++;
      prev = kind;
      kinds |= kind;
    }
    q++;
  }
  const len = q - p;
  if (len < 16 || (kinds & 7) !== 7 || switches * 3 < len) return 0;
  while (q < end && msg.charCodeAt(q) === 61) q++;
  return q < end && isAlnum(msg.charCodeAt(q)) ? 0 : q;
}

function stickyEnd(re: RegExp, msg: string, at: number, end: number): number {
  re.lastIndex = at;
  return re.test(msg) && re.lastIndex <= end ? re.lastIndex : 0;
}
