/**
 * The miner's first step: a message becomes tokens with their variable parts masked. One pass over the characters
 * (a regex per mask over every message was 3× slower than the whole miner may be), splitting at whitespace and
 * after a comma inside a token (JSON, `k=v,k=v` lists), and replacing, inside each token (the rules are in
 * mask-rules.ts):
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
 *
 * A piece's text is not built while walking it: the walk hashes what the text would be and looks it up among the
 * pieces met before (piece-table.ts), and only a new piece is made into strings and given its skeleton. Building every
 * token's text and skeleton was 1.7× the time of masking this way (on the read benchmark's lines).
 */

import { beginToken, CLASS, DIGIT, found, isAlnum, isDigit, LETTER, MASK_NAMES, maskAt, NUM, PLACEHOLDER_RE, SPACE } from "./mask-rules.ts";
import { HASH_START, hashChar, PieceTable } from "./piece-table.ts";

const LT = 60;
const AT = 64;
const COMMA = 44;
const COLON = 58;

/** One per thread: every miner's lines share the vocabulary (piece-table.ts). */
const pieces = new PieceTable();

/** A masked message: parallel arrays, reused from line to line (copy what must outlive the next call). */
export class MaskedLine {
  tokens: string[] = [];
  skeletons: string[] = [];
  /** Whether token i followed whitespace; false for the first and for a piece split off after a comma. */
  spaced: boolean[] = [];
  /** Token i is a word (see the module comment). */
  words: boolean[] = [];
  length = 0;
  /** A hash of the tokens (not of the spacing): lines with equal tokens have equal hashes. */
  hash = HASH_START;

  /** `hash` is the token's own (hashChar over its characters). */
  push(token: string, skeleton: string, spaced: boolean, word: boolean, hash: number): void {
    const i = this.length++;
    this.hash = Math.imul(this.hash ^ hash, 0x9e3779b1) ^ i;
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
  out.hash = HASH_START;
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
    // One look at each character says whether the token needs masking or splitting, and hashes it for when not.
    const start = i;
    let masked = false;
    let comma = false;
    let hasAt = false;
    let hasPort = false;
    let prev = 0;
    let h = HASH_START;
    while (i < n) {
      const d = msg.charCodeAt(i);
      if (d < 128) {
        const k = CLASS[d]!;
        if (k & SPACE) break;
        if (k & DIGIT) {
          masked = true;
          if (prev === COLON) hasPort = true;
        } else if (d === LT) masked = true;
        else if (d === AT) masked = hasAt = true;
        else if (d === COMMA) comma = true;
      }
      h = hashChar(h, d);
      prev = d;
      i++;
    }
    if (masked) beginToken(msg, start, i, hasAt, hasPort);
    if (masked || comma) pushPieces(msg, start, i, masked, spaced, out);
    else pushPlain(msg, start, i, h, spaced, out);
    spaced = false;
  }
}

/** A token with nothing to mask or split: msg[start, end), hashed as `h`. */
function pushPlain(msg: string, start: number, end: number, h: number, spaced: boolean, out: MaskedLine): void {
  const length = end - start;
  let slot = pieces.first(h);
  for (let t = pieces.text(slot); t !== undefined; t = pieces.text((slot = pieces.next(slot)))) {
    if (pieces.hash(slot) === h && t.length === length && msg.startsWith(t, start)) {
      out.push(t, pieces.skeleton(slot), spaced, pieces.word(slot), h);
      return;
    }
  }
  intern(slot, h, msg.slice(start, end), spaced, out);
}

function intern(slot: number, h: number, text: string, spaced: boolean, out: MaskedLine): void {
  const skeleton = skeletonOf(text);
  const word = skeleton === text && hasLetter(text);
  pieces.put(slot, h, text, skeleton, word);
  out.push(text, skeleton, spaced, word, h);
}

// The piece being built: its masked text as segments — a range of the message, or a mask (start −1 − its code).
let segFrom = new Int32Array(64);
let segTo = new Int32Array(64);
let segments = 0;
let pieceLength = 0;

/**
 * The token msg[start, end) with its masks replaced (when `masking`; beginToken has seen it), split after each comma
 * that is not its last character (JSON, `k=v,k=v` lists): every alphanumeric run that starts a mask becomes the
 * mask's name. The piece's hash is built on the way, over the text it stands for.
 */
function pushPieces(msg: string, start: number, end: number, masking: boolean, spaced: boolean, out: MaskedLine): void {
  let firstPiece = true;
  let copied = start;
  let h = HASH_START;
  // The hash without the last character, which is a sign the number after it may take.
  let before = h;
  let p = start;
  while (p < end) {
    const c = msg.charCodeAt(p);
    if (c === COMMA) {
      h = hashChar(h, c);
      if (++p < end) {
        literal(copied, p);
        finishPiece(msg, h, firstPiece && spaced, out);
        firstPiece = false;
        copied = p;
        h = HASH_START;
      }
      continue;
    }
    if (masking) {
      if (c === LT) {
        PLACEHOLDER_RE.lastIndex = p;
        if (PLACEHOLDER_RE.test(msg)) {
          // Upstream's <N> (4+ digits) is a number like any other: one name, so `<N>` and `123` make `<NUM>`.
          const q = PLACEHOLDER_RE.lastIndex;
          if (q - p === 3 && msg.charCodeAt(p + 1) === 78) {
            literal(copied, p);
            h = mask(h, NUM);
            copied = q;
          } else for (let k = p; k < q; k++) h = hashChar(h, msg.charCodeAt(k));
          p = q;
          continue;
        }
      } else if (isAlnum(c) && (p === start || !isAlnum(msg.charCodeAt(p - 1)))) {
        let runEnd = p + 1;
        while (runEnd < end && isAlnum(msg.charCodeAt(runEnd))) runEnd++;
        if (maskAt(msg, p, runEnd, end)) {
          // A sign belongs to the number when nothing alphanumeric is glued to it: `blk_-42` and `blk_42` mask alike.
          let from = p;
          const sign = p > copied ? msg.charCodeAt(p - 1) : 0;
          if ((sign === 45 || sign === 43) && found.code === NUM && (p - 1 === start || !isAlnum(msg.charCodeAt(p - 2)))) {
            from = p - 1;
            h = before;
          }
          literal(copied, from);
          h = mask(h, found.code);
          copied = p = found.end;
          continue;
        }
        for (; p < runEnd; p++) h = hashChar(h, msg.charCodeAt(p));
        continue;
      }
    }
    before = h;
    h = hashChar(h, c);
    p++;
  }
  literal(copied, end);
  finishPiece(msg, h, firstPiece && spaced, out);
}

function literal(from: number, to: number): void {
  if (from >= to) return;
  pieceLength += to - from;
  segment(from, to);
}

/** Adds a mask to the piece; returns the hash with its name. */
function mask(h: number, code: number): number {
  const name = MASK_NAMES[code]!;
  for (let k = 0; k < name.length; k++) h = hashChar(h, name.charCodeAt(k));
  pieceLength += name.length;
  segment(-1 - code, 0);
  return h;
}

function segment(from: number, to: number): void {
  if (segments === segFrom.length) {
    const grownFrom = new Int32Array(segments * 2);
    const grownTo = new Int32Array(segments * 2);
    grownFrom.set(segFrom);
    grownTo.set(segTo);
    segFrom = grownFrom;
    segTo = grownTo;
  }
  segFrom[segments] = from;
  segTo[segments] = to;
  segments++;
}

/** Records the piece built so far (the table's string when it has met it before) and starts the next. */
function finishPiece(msg: string, h: number, spaced: boolean, out: MaskedLine): void {
  let slot = pieces.first(h);
  let text: string | undefined;
  for (let t = pieces.text(slot); t !== undefined; t = pieces.text((slot = pieces.next(slot)))) {
    if (pieces.hash(slot) === h && t.length === pieceLength && samePiece(msg, t)) {
      text = t;
      break;
    }
  }
  if (text !== undefined) out.push(text, pieces.skeleton(slot), spaced, pieces.word(slot), h);
  else intern(slot, h, pieceText(msg), spaced, out);
  segments = 0;
  pieceLength = 0;
}

/** Whether t is the piece's text (its length already equal). */
function samePiece(msg: string, t: string): boolean {
  let j = 0;
  for (let s = 0; s < segments; s++) {
    const from = segFrom[s]!;
    if (from < 0) {
      const name = MASK_NAMES[-1 - from]!;
      if (!t.startsWith(name, j)) return false;
      j += name.length;
      continue;
    }
    const to = segTo[s]!;
    for (let k = from; k < to; k++, j++) if (msg.charCodeAt(k) !== t.charCodeAt(j)) return false;
  }
  return true;
}

function pieceText(msg: string): string {
  if (segments === 1 && segFrom[0]! >= 0) return msg.slice(segFrom[0]!, segTo[0]!);
  let text = "";
  for (let s = 0; s < segments; s++) {
    const from = segFrom[s]!;
    text += from < 0 ? MASK_NAMES[-1 - from]! : msg.slice(from, segTo[s]!);
  }
  return text;
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

const SKELETON_WORK = /[\d</]/;
