/**
 * The miner's first step: a message becomes tokens with their variable parts masked. One pass over the characters
 * (a regex per mask over every message was 3× slower than the whole miner may be), splitting at whitespace and
 * after a comma inside a token (JSON, `k=v,k=v` lists), and replacing, inside each token:
 *
 * | mask | what |
 * |---|---|
 * | `<UUID>` | 8-4-4-4-12 hex digits (§11.3) |
 * | `<TS>` | ISO timestamps `2024-01-15T10:32:01.123Z` (§11.3) |
 * | `<IP>` | IPv4 (§11.3), and a comma-separated list of them; a port stays a number (`<IP>:<NUM>`) as in §11.3 |
 * | `<HOST>` | a dotted host name with a port, `db.prod.internal:5432` |
 * | `<EMAIL>` | an e-mail address |
 * | `<HEX>` | `0x…` (§11.3; `0X` too) |
 * | `<DUR>` | a number with a unit `ms us µs ns s m h` (§11.3) |
 * | `<ID>` | hex runs of 8+ characters holding a digit (trace ids, hashes) and base64-like runs of 16+ characters that switch often between upper case, lower case and digits (tokens, keys) |
 * | `<NUM>` | every other number not glued to a letter — in `key=value`, JSON values, paths, anywhere (§11.3's `<N>` took only 4+ digits; the parse tree decides the rest) |
 *
 * Placeholders already in the text (`<UUID>` of a triage signature) are kept as masks, and upstream's `<N>` becomes
 * `<NUM>`, so mining a normalised message gives the same template as mining the message.
 *
 * Only the first line of a message is mined (the first that is not blank): a stack trace is grouped by the error it
 * reports, whatever the depth of the trace below it (the example line keeps the whole message).
 *
 * Each token also gets its **skeleton** — the token without masks and digits, or for a path only what precedes its
 * first `/` — which is what the parse tree compares: `wl0` and `wl1`, `vis=<NUM>` and `vis=<ID>`, two paths, are
 * the same shape. A **word** is a token that is its own skeleton and has a letter: only words route the parse tree.
 */

// Character classes of the ASCII range, one lookup per character.
const DIGIT = 1;
const HEX_LETTER = 2;
const LETTER = 4;
const SPACE = 8;
const B64 = 16; // base64url and base64 symbols besides letters and digits
const UPPER = 32;
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER | UPPER | (c <= 70 ? HEX_LETTER : 0);
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER | (c <= 102 ? HEX_LETTER : 0);
for (const c of [9, 10, 11, 12, 13, 32]) CLASS[c] = SPACE;
for (const c of "+/_-") CLASS[c.charCodeAt(0)] |= B64;

const cls = (c: number) => (c < 128 ? CLASS[c]! : 0);
const isAlnum = (c: number) => (cls(c) & (DIGIT | LETTER)) !== 0;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => (cls(c) & (DIGIT | HEX_LETTER)) !== 0;

const LT = 60;
const AT = 64;
const COMMA = 44;
const SLASH = 47;
const GT = 62;
const MICRO = 0xb5;

// Composite masks, tried only where their shape can start (sticky: they match at lastIndex or not at all).
const UUID_RE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z])/y;
const TS_RE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[.\d]*Z?/y;
const IP_RE = /\d{1,3}(?:\.\d{1,3}){3}(?:,\d{1,3}(?:\.\d{1,3}){3})*(?![0-9A-Za-z.])/y;
const HOST_RE = /(?:[A-Za-z0-9_-]+\.){2,}[A-Za-z][A-Za-z0-9_-]*:\d{1,5}(?![0-9A-Za-z.])/y;
const PLACEHOLDER_RE = /<[A-Z*]{1,8}>/y;
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

/** A masked message: parallel arrays, reused from line to line (copy what must outlive the next call). */
export class MaskedLine {
  tokens: string[] = [];
  skeletons: string[] = [];
  /** Whether token i followed whitespace; false for the first and for a piece split off after a comma. */
  spaced: boolean[] = [];
  /** Token i is a word (see the module comment). */
  words: boolean[] = [];
  length = 0;

  push(token: string, skeleton: string, spaced: boolean, word: boolean): void {
    const i = this.length++;
    this.tokens[i] = token;
    this.skeletons[i] = skeleton;
    this.spaced[i] = spaced;
    this.words[i] = word;
  }
}

/**
 * @example
 * const line = new MaskedLine();
 * maskMessage('user=bob took 12ms trace_id=4bf92f3577b34da6a3ce929d0e0e4736', line);
 * line.tokens.slice(0, line.length) // ["user=bob", "took", "<DUR>", "trace_id=<ID>"]
 */
export function maskMessage(msg: string, out: MaskedLine): void {
  out.length = 0;
  let i = 0;
  while (i < msg.length && msg.charCodeAt(i) < 128 && CLASS[msg.charCodeAt(i)]! & SPACE) i++;
  const newline = msg.indexOf("\n", i);
  const n = newline < 0 ? msg.length : newline;
  let spaced = false;
  while (i < n) {
    const c = msg.charCodeAt(i);
    if (c < 128 && CLASS[c]! & SPACE) {
      i++;
      spaced = out.length > 0;
      continue;
    }
    // One look at each character says what the token needs: masking, splitting, a path skeleton, or nothing.
    const start = i;
    let masked = false;
    let comma = false;
    let slashes = 0;
    let letter = false;
    while (i < n) {
      const d = msg.charCodeAt(i);
      if (d >= 128) letter = true;
      else {
        const k = CLASS[d]!;
        if (k & SPACE) break;
        if (k & LETTER) letter = true;
        else if (k & DIGIT || d === LT || d === AT) masked = true;
        else if (d === COMMA) comma = true;
        else if (d === SLASH) slashes++;
      }
      i++;
    }
    const token = masked ? maskToken(msg, start, i) : msg.slice(start, i);
    if (comma && token.indexOf(",") < token.length - 1) pushPieces(token, spaced, out);
    else if (slashes >= 2) pushToken(token, spaced, out);
    else if (masked) out.push(token, maskedSkeleton, spaced, maskedSkeleton === token && letter);
    else out.push(token, token, spaced, letter);
    spaced = false;
  }
}

/** Splits a token after each comma that is not its last character, then records each piece with its skeleton. */
function pushPieces(token: string, spaced: boolean, out: MaskedLine): void {
  let from = 0;
  for (let comma = token.indexOf(","); comma >= 0 && comma < token.length - 1; comma = token.indexOf(",", from)) {
    pushToken(token.slice(from, comma + 1), from === 0 ? spaced : false, out);
    from = comma + 1;
  }
  pushToken(from === 0 ? token : token.slice(from), from === 0 ? spaced : false, out);
}

function pushToken(token: string, spaced: boolean, out: MaskedLine): void {
  const skeleton = skeletonOf(token);
  out.push(token, skeleton, spaced, skeleton === token && hasLetter(token));
}

/** Whether a token is a word: its own skeleton, with a letter (what the tree routes by, and a split restores). */
export function isWordToken(token: string): boolean {
  return skeletonOf(token) === token && hasLetter(token);
}

function hasLetter(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 128 || CLASS[c]! & LETTER) return true;
  }
  return false;
}

/** The token without masks and digits; a path (`a/b/c`) keeps only what precedes its first slash, plus `/…`. */
export function skeletonOf(token: string): string {
  // Most tokens hold no digit, mask or slash: they are their own skeleton (one native scan to know).
  if (!SKELETON_WORK.test(token)) return token;
  const slash = token.indexOf("/");
  if (slash >= 0) {
    const second = token.indexOf("/", slash + 1);
    if (second > slash + 1 && second < token.length - 1) return skeletonOf(token.slice(0, slash)) + "/…";
  }
  let out = "";
  let from = 0;
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (isDigit(c)) {
      out += token.slice(from, k);
      from = k + 1;
    } else if (c === LT) {
      PLACEHOLDER_RE.lastIndex = k;
      if (PLACEHOLDER_RE.test(token)) {
        out += token.slice(from, k);
        k = PLACEHOLDER_RE.lastIndex - 1;
        from = k + 1;
      }
    }
  }
  return from === 0 ? token : out + token.slice(from);
}

/** The skeleton of the token maskToken returned last (its text outside masks, digits removed). */
let maskedSkeleton = "";

/** The masked text of msg[start, end): every alphanumeric run that starts a mask is replaced. */
function maskToken(msg: string, start: number, end: number): string {
  let out = "";
  let skeleton = "";
  let copied = start;
  let p = start;
  // Digits left in the text (glued to letters: `wl0`) are taken out of the skeleton at the end.
  let digitsLeft = false;
  // A host needs a port: without `:` and a digit after it the host pattern is never tried.
  const at = msg.indexOf("@", start);
  emailPossible = at >= 0 && at < end;
  hostPossible = false;
  for (let k = msg.indexOf(":", start); k >= 0 && k < end - 1; k = msg.indexOf(":", k + 1)) {
    if (isDigit(msg.charCodeAt(k + 1))) {
      hostPossible = true;
      break;
    }
  }
  while (p < end) {
    const c = msg.charCodeAt(p);
    if (c === LT) {
      PLACEHOLDER_RE.lastIndex = p;
      if (PLACEHOLDER_RE.test(msg)) {
        const q = PLACEHOLDER_RE.lastIndex;
        // Upstream's <N> (4+ digits) is a number like any other: one name, so `<N>` and `123` make `<NUM>`.
        const text = msg.slice(copied, p);
        out += q - p === 3 && msg.charCodeAt(p + 1) === 78 ? text + "<NUM>" : msg.slice(copied, q);
        skeleton += text;
        copied = p = q;
        continue;
      }
      p++;
      continue;
    }
    if (!isAlnum(c) || (p > start && isAlnum(msg.charCodeAt(p - 1)))) {
      if (isDigit(c)) digitsLeft = true;
      p++;
      continue;
    }
    let runEnd = p + 1;
    while (runEnd < end && isAlnum(msg.charCodeAt(runEnd))) runEnd++;
    const m = maskAt(msg, p, runEnd, end);
    if (m === null) {
      for (let k = p; k < runEnd; k++) if (isDigit(msg.charCodeAt(k))) digitsLeft = true;
      p = runEnd;
      continue;
    }
    // A sign belongs to the number when nothing alphanumeric is glued to it: `blk_-42` and `blk_42` mask alike.
    let from = p;
    const before = p > start ? msg.charCodeAt(p - 1) : 0;
    if ((before === 45 || before === 43) && m.name === "<NUM>" && (p - 1 === start || !isAlnum(msg.charCodeAt(p - 2)))) from = p - 1;
    const text = msg.slice(copied, from);
    out += text + m.name;
    skeleton += text;
    copied = p = m.end;
  }
  const rest = msg.slice(copied, end);
  skeleton += rest;
  maskedSkeleton = digitsLeft ? skeleton.replace(DIGITS, "") : skeleton;
  return copied === start ? rest : out + rest;
}

const DIGITS = /\d+/g;
const SKELETON_WORK = /[\d</]/;

interface Mask {
  name: string;
  end: number;
}
const found: Mask = { name: "", end: 0 };
/** Whether the token maskToken is working on has a `:` followed by a digit (a host with a port may be in it). */
let hostPossible = false;
/** Whether that token has an `@` (an e-mail address may be in it). */
let emailPossible = false;
function hit(name: string, end: number): Mask {
  found.name = name;
  found.end = end;
  return found;
}

/** The mask that starts at the alphanumeric run msg[p, runEnd) (token ends at `end`), or null. */
function maskAt(msg: string, p: number, runEnd: number, end: number): Mask | null {
  const len = runEnd - p;
  const first = msg.charCodeAt(p);
  const next = runEnd < end ? msg.charCodeAt(runEnd) : 0;
  if (emailPossible && stickyEnd(EMAIL_RE, msg, p, end) > 0) return hit("<EMAIL>", EMAIL_RE.lastIndex);
  if (len === 8 && next === 45 && isHex(first) && stickyEnd(UUID_RE, msg, p, end) > 0) return hit("<UUID>", UUID_RE.lastIndex);
  if (isDigit(first)) {
    if (next === 45 && len === 4 && stickyEnd(TS_RE, msg, p, end) > 0) return hit("<TS>", TS_RE.lastIndex);
    if (next === 46 && len <= 3 && stickyEnd(IP_RE, msg, p, end) > 0) return hit("<IP>", IP_RE.lastIndex);
    if (len > 2 && first === 48 && (msg.charCodeAt(p + 1) | 32) === 120 && isHex(msg.charCodeAt(p + 2))) {
      let q = p + 2;
      while (q < runEnd && isHex(msg.charCodeAt(q))) q++;
      return hit("<HEX>", q);
    }
  }
  if (hostPossible && (next === 46 || next === 45 || next === 95) && (cls(first) & LETTER) !== 0 && stickyEnd(HOST_RE, msg, p, end) > 0) return hit("<HOST>", HOST_RE.lastIndex);
  const b64 = end - p >= 16 ? base64End(msg, p, end) : 0;
  if (b64 > 0) return hit("<ID>", b64);
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
    if (unitEnd < end && msg.charCodeAt(unitEnd) === MICRO && msg.charCodeAt(unitEnd + 1) === 115 && !isAlnum(msg.charCodeAt(unitEnd + 2))) return hit("<DUR>", unitEnd + 2);
    return hit("<NUM>", numEnd);
  }
  if (DURATION_UNITS.has(msg.slice(unitFrom, unitEnd))) return hit("<DUR>", unitEnd);
  return numEnd === q && q < runEnd ? hexRun(msg, p, runEnd) : null;
}

/** A run of 8+ hex characters with a digit and a letter (a run of only digits is a number). */
function hexRun(msg: string, p: number, runEnd: number): Mask | null {
  if (runEnd - p < 8) return null;
  let digit = false;
  let letter = false;
  for (let k = p; k < runEnd; k++) {
    const c = msg.charCodeAt(k);
    if (isDigit(c)) digit = true;
    else if (cls(c) & HEX_LETTER) letter = true;
    else return null;
  }
  return digit && letter ? hit("<ID>", runEnd) : null;
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
