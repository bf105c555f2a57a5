/**
 * RE2 (Go `regexp/syntax`) parser. It follows Go's parser closely — same accepted syntax, same error reasons and
 * quoted fragments — because patterns are written for, and compared with, the Go tool. The output is an AST that
 * `emit.ts` spells as a JavaScript v-flag regex and `risk.ts` inspects for catastrophic backtracking.
 */

import type { CharNode, Node } from "./ast.ts";
import { ANY, type CharSet, EMPTY, foldAscii, negate, range, union } from "./charset.ts";
import { RegexSyntaxError } from "./syntax-error.ts";

export interface Re2Flags {
  /** i */
  fold: boolean;
  /** m: `^`/`$` match at line breaks. */
  multiline: boolean;
  /** s: `.` matches `\n`. */
  dotAll: boolean;
  /** U: swaps greedy and lazy quantifiers. */
  ungreedy: boolean;
}

export interface ParsedRe2 {
  root: Node;
  /** Name of each capture group by index; index 0 (the whole match) and unnamed groups are `undefined`. */
  groupNames: (string | undefined)[];
}

export function parseRe2(pattern: string, flags: Re2Flags): ParsedRe2 {
  const parser = new Parser(pattern, flags);
  return { root: parser.parse(), groupNames: parser.groupNames };
}

const ERR = {
  charRange: "invalid character class range",
  escape: "invalid escape sequence",
  namedCapture: "invalid named capture",
  perlOp: "invalid or unsupported Perl syntax",
  repeatOp: "invalid nested repetition operator",
  repeatSize: "invalid repeat count",
  missingBracket: "missing closing ]",
  missingParen: "missing closing )",
  missingArgument: "missing argument to repetition operator",
  trailingBackslash: "trailing backslash at end of expression",
  unexpectedParen: "unexpected )",
  nestingDepth: "expression nests too deeply",
} as const;

/** RE2's limits: counted repetition up to 1000, nesting up to 1000 (also keeps our recursion off the stack limit). */
const MAX_REPEAT = 1000;
const MAX_DEPTH = 1000;

const LPAREN = 0x28;
const RPAREN = 0x29;
const STAR = 0x2a;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const QUESTION = 0x3f;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const CARET = 0x5e;
const DOLLAR = 0x24;
const LBRACE = 0x7b;
const PIPE = 0x7c;
const RBRACE = 0x7d;

const DIGITS = range(0x30, 0x39);
const WORD = union(union(DIGITS, range(0x41, 0x5a)), union(range(0x5f, 0x5f), range(0x61, 0x7a)));
/** RE2's `\s` is ASCII `[\t\n\f\r ]` — narrower than JavaScript's Unicode `\s`, so it is spelled out. */
const SPACE = union(union(range(9, 10), range(12, 13)), range(32, 32));
const SPACE_JS = "\\t\\n\\f\\r\\u{20}";

interface ClassPart {
  /** Spelling outside a class (an atom). */
  atom: string;
  /** Spelling inside a class. */
  item: string;
  set: CharSet;
}

const PERL_CLASSES: Record<string, ClassPart> = {
  d: { atom: "\\d", item: "\\d", set: DIGITS },
  D: { atom: "\\D", item: "\\D", set: negate(DIGITS) },
  w: { atom: "\\w", item: "\\w", set: WORD },
  W: { atom: "\\W", item: "\\W", set: negate(WORD) },
  s: { atom: `[${SPACE_JS}]`, item: SPACE_JS, set: SPACE },
  S: { atom: `[^${SPACE_JS}]`, item: `[^${SPACE_JS}]`, set: negate(SPACE) },
};

const POSIX_CLASSES = new Map<string, CharSet>(Object.entries({
  alnum: union(DIGITS, union(range(0x41, 0x5a), range(0x61, 0x7a))),
  alpha: union(range(0x41, 0x5a), range(0x61, 0x7a)),
  ascii: range(0, 0x7f),
  blank: union(range(9, 9), range(32, 32)),
  cntrl: union(range(0, 0x1f), range(0x7f, 0x7f)),
  digit: DIGITS,
  graph: range(0x21, 0x7e),
  lower: range(0x61, 0x7a),
  print: range(0x20, 0x7e),
  punct: union(union(range(0x21, 0x2f), range(0x3a, 0x40)), union(range(0x5b, 0x60), range(0x7b, 0x7e))),
  space: union(range(9, 13), range(32, 32)),
  upper: range(0x41, 0x5a),
  word: WORD,
  xdigit: union(DIGITS, union(range(0x41, 0x46), range(0x61, 0x66))),
}));

/** Go's Unicode general categories; any other `\p{Name}` is a script, which JavaScript spells `Script=Name`. */
const CATEGORIES = new Set(
  "C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs Any".split(" "),
);

/** Go's parseInt refuses leading zeros, so `{01}` is not a repetition (and `{` stays a literal). */
const COUNTED = /\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/y;

const C_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

function width(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

function hex(cp: number): string {
  return `\\u{${cp.toString(16).toUpperCase()}}`;
}

/** A literal outside a class: letters and digits as themselves, syntax characters escaped, the rest by code point. */
function literalJs(cp: number): string {
  if (isAlnum(cp)) return String.fromCharCode(cp);
  if (cp < 0x80 && "^$\\.*+?()[]{}|/".includes(String.fromCharCode(cp))) return `\\${String.fromCharCode(cp)}`;
  return cp > 0x20 && cp < 0x7f ? String.fromCharCode(cp) : hex(cp);
}

/** Inside a v-flag class almost all punctuation is reserved, so everything but letters and digits goes by code point. */
function classCharJs(cp: number): string {
  return isAlnum(cp) ? String.fromCharCode(cp) : hex(cp);
}

function hasCase(cp: number): boolean {
  const s = String.fromCodePoint(cp);
  return s.toLowerCase() !== s.toUpperCase();
}

class Parser {
  readonly groupNames: (string | undefined)[] = [undefined];
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private flags: Re2Flags,
  ) {}

  parse(): Node {
    const root = this.alternation();
    // The top level stops only at the end or at a `)` that no group opened.
    if (this.pos < this.src.length) throw new RegexSyntaxError(ERR.unexpectedParen, this.src);
    return root;
  }

  private alternation(): Node {
    const start = this.pos;
    const items = [this.concat()];
    while (this.src.charCodeAt(this.pos) === PIPE) {
      this.pos++;
      items.push(this.concat());
    }
    return items.length === 1 ? items[0]! : { kind: "alt", items, start, end: this.pos };
  }

  private concat(): Node {
    const start = this.pos;
    const items: Node[] = [];
    // Where the previous token began if it was a repetition operator: RE2 rejects `a**` rather than doubling it.
    let lastRepeat = -1;
    while (this.pos < this.src.length) {
      const c = this.src.charCodeAt(this.pos);
      if (c === PIPE || c === RPAREN) break;
      const tokenStart = this.pos;
      const repeated = this.quantifier(items, c, lastRepeat);
      if (!repeated) this.atom(items, c);
      lastRepeat = repeated ? tokenStart : -1;
    }
    return items.length === 1 ? items[0]! : { kind: "concat", items, start, end: this.pos };
  }

  private atom(items: Node[], c: number): void {
    const start = this.pos;
    switch (c) {
      case LPAREN: {
        const group = this.group();
        if (group) items.push(group);
        return;
      }
      case LBRACKET:
        items.push(this.charClass());
        return;
      case DOT:
        this.pos++;
        items.push(this.charNode(this.flags.dotAll ? "[^]" : "[^\\n]", this.flags.dotAll ? ANY : negate(range(10, 10)), null, start));
        return;
      case CARET:
        // JavaScript's own `m` flag also breaks lines at \r, U+2028 and U+2029; RE2 only at \n.
        items.push(this.assertNode(this.flags.multiline ? "(?<![^\\n])" : "^", 1));
        return;
      case DOLLAR:
        items.push(this.assertNode(this.flags.multiline ? "(?![^\\n])" : "$", 1));
        return;
      case BACKSLASH:
        this.escape(items);
        return;
      default:
        items.push(this.literal(this.nextCodePoint(), start));
    }
  }

  /** Applies `*`, `+`, `?` or `{n,m}` at this.pos to the last item; false when there is no quantifier here. */
  private quantifier(items: Node[], c: number, lastRepeat: number): boolean {
    const start = this.pos;
    if (c === STAR || c === PLUS || c === QUESTION) {
      this.pos++;
      this.repeat(items, c === PLUS ? 1 : 0, c === QUESTION ? 1 : Infinity, start, lastRepeat);
      return true;
    }
    if (c !== LBRACE) return false;
    // Only `{n}`, `{n,}` and `{n,m}` repeat; any other `{` is a literal, as in Go.
    COUNTED.lastIndex = start;
    const m = COUNTED.exec(this.src);
    if (!m) return false;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === undefined ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && (max > MAX_REPEAT || max < min))) {
      throw new RegexSyntaxError(ERR.repeatSize, m[0]);
    }
    this.pos = start + m[0].length;
    this.repeat(items, min, max, start, lastRepeat);
    return true;
  }

  private repeat(items: Node[], min: number, max: number, opStart: number, lastRepeat: number): void {
    let greedy = !this.flags.ungreedy;
    if (this.src.charCodeAt(this.pos) === QUESTION) {
      this.pos++;
      greedy = !greedy;
    }
    if (lastRepeat >= 0) throw new RegexSyntaxError(ERR.repeatOp, this.src.slice(lastRepeat, this.pos));
    const sub = items.pop();
    if (!sub) throw new RegexSyntaxError(ERR.missingArgument, this.src.slice(opStart, this.pos));
    items.push({ kind: "repeat", sub, min, max, greedy, start: sub.start, end: this.pos });
  }

  /** Returns null for a flags-only `(?i)`, which changes the flags for the rest of the enclosing group. */
  private group(): Node | null {
    const src = this.src;
    const start = this.pos;
    if (!src.startsWith("(?", start)) {
      this.pos++;
      return this.groupBody(start, this.groupNames.push(undefined) - 1, undefined, this.flags);
    }
    if (src.startsWith("(?<=", start) || src.startsWith("(?<!", start) || src.startsWith("(?=", start) || src.startsWith("(?!", start)) {
      // Look-around has no linear-time implementation, so RE2 does not have it.
      throw new RegexSyntaxError(ERR.perlOp, src.slice(start, start + (src[start + 2] === "<" ? 4 : 3)));
    }
    const prefix = src.startsWith("(?P<", start) && src.length > start + 4 ? 4 : src.startsWith("(?<", start) && src.length > start + 3 ? 3 : 0;
    if (prefix > 0) {
      const close = src.indexOf(">", start);
      if (close < 0) throw new RegexSyntaxError(ERR.namedCapture, src.slice(start));
      const name = src.slice(start + prefix, close);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new RegexSyntaxError(ERR.namedCapture, src.slice(start, close + 1));
      this.pos = close + 1;
      return this.groupBody(start, this.groupNames.push(name) - 1, name, this.flags);
    }
    return this.flagGroup(start);
  }

  /** `(?flags)` or `(?flags:…)`, flags from `imsU` with an optional `-` part that clears them. */
  private flagGroup(start: number): Node | null {
    const src = this.src;
    const flags = { ...this.flags };
    let q = start + 2;
    let clearing = false;
    let sawFlag = false;
    scan: while (q < src.length) {
      const c = src[q++];
      switch (c) {
        case "i":
          flags.fold = !clearing;
          break;
        case "m":
          flags.multiline = !clearing;
          break;
        case "s":
          flags.dotAll = !clearing;
          break;
        case "U":
          flags.ungreedy = !clearing;
          break;
        case "-":
          if (clearing) break scan;
          clearing = true;
          sawFlag = false;
          continue;
        case ":":
        case ")":
          if (clearing && !sawFlag) break scan;
          this.pos = q;
          if (c === ":") return this.groupBody(start, 0, undefined, flags);
          this.flags = flags;
          return null;
        default:
          break scan;
      }
      sawFlag = true;
    }
    throw new RegexSyntaxError(ERR.perlOp, src.slice(start, q));
  }

  private groupBody(start: number, capture: number, name: string | undefined, flags: Re2Flags): Node {
    if (++this.depth > MAX_DEPTH) throw new RegexSyntaxError(ERR.nestingDepth, this.src);
    const outer = this.flags;
    this.flags = flags;
    const body = this.alternation();
    if (this.src.charCodeAt(this.pos) !== RPAREN) throw new RegexSyntaxError(ERR.missingParen, this.src);
    this.pos++;
    this.flags = outer;
    this.depth--;
    return { kind: "group", capture, name, body, start, end: this.pos };
  }

  private escape(items: Node[]): void {
    const src = this.src;
    const start = this.pos;
    if (start + 1 >= src.length) throw new RegexSyntaxError(ERR.trailingBackslash, "");
    const c = src[start + 1]!;
    switch (c) {
      case "A":
        items.push(this.assertNode("^", 2));
        return;
      case "z":
        items.push(this.assertNode("$", 2));
        return;
      case "b":
      case "B":
        items.push(this.assertNode(`\\${c}`, 2));
        return;
      case "C":
        throw new RegexSyntaxError(ERR.escape, "\\C");
      case "Q": {
        const close = src.indexOf("\\E", start + 2);
        const end = close < 0 ? src.length : close;
        this.pos = start + 2;
        while (this.pos < end) {
          const at = this.pos;
          items.push(this.literal(this.nextCodePoint(), at));
        }
        this.pos = close < 0 ? end : close + 2;
        return;
      }
      case "p":
      case "P": {
        const part = this.unicodeClass();
        items.push(this.charNode(part.atom, part.set, this.flags.fold, start));
        return;
      }
    }
    const perl = PERL_CLASSES[c];
    if (perl) {
      this.pos += 2;
      items.push(this.charNode(perl.atom, perl.set, c === "w" || c === "W" ? this.flags.fold : null, start));
      return;
    }
    items.push(this.literal(this.escapedCodePoint(), start));
  }

  /** The character of a single-character escape (`\n`, `\x41`, `\101`, `\.`…), as Go's parseEscape reads it. */
  private escapedCodePoint(): number {
    const src = this.src;
    const start = this.pos;
    let q = start + 1;
    if (q >= src.length) throw new RegexSyntaxError(ERR.trailingBackslash, "");
    const c = src.codePointAt(q)!;
    q += width(c);
    const invalid = (): RegexSyntaxError => new RegexSyntaxError(ERR.escape, src.slice(start, q));
    if (c < 0x80 && !isAlnum(c)) {
      this.pos = q;
      return c;
    }
    // `\1`–`\7` alone would be a back-reference, which RE2 lacks; followed by octal digits they are octal.
    if (c >= 0x31 && c <= 0x37 && !isOctal(src.charCodeAt(q))) throw invalid();
    if (isOctal(c)) {
      let value = c - 0x30;
      for (let i = 1; i < 3 && isOctal(src.charCodeAt(q)); i++) value = value * 8 + src.charCodeAt(q++) - 0x30;
      this.pos = q;
      return value;
    }
    if (c === 0x78 /* x */) {
      if (q >= src.length) throw invalid();
      let value = 0;
      if (src.charCodeAt(q) === LBRACE) {
        q++;
        let digits = 0;
        for (;;) {
          if (q >= src.length) throw invalid();
          const h = src.codePointAt(q)!;
          q += width(h);
          if (h === RBRACE) break;
          const v = hexValue(h);
          if (v < 0) throw invalid();
          value = value * 16 + v;
          if (value > 0x10ffff) throw invalid();
          digits++;
        }
        if (digits === 0) throw invalid();
      } else {
        for (let i = 0; i < 2; i++) {
          const h = q < src.length ? src.codePointAt(q)! : -1;
          if (h >= 0) q += width(h);
          const v = hexValue(h);
          if (v < 0) throw invalid();
          value = value * 16 + v;
        }
      }
      this.pos = q;
      return value;
    }
    const simple = C_ESCAPES[String.fromCharCode(c)];
    if (simple === undefined) throw invalid();
    this.pos = q;
    return simple;
  }

  /** `\pL`, `\p{Greek}`, `\P{Lu}`, `\p{^Han}` at this.pos. */
  private unicodeClass(): ClassPart {
    const src = this.src;
    const start = this.pos;
    let negated = src[start + 1] === "P";
    let seq: string;
    let name: string;
    if (src[start + 2] === "{") {
      const close = src.indexOf("}", start);
      if (close < 0) throw new RegexSyntaxError(ERR.charRange, src.slice(start));
      seq = src.slice(start, close + 1);
      name = src.slice(start + 3, close);
    } else {
      const cp = src.codePointAt(start + 2);
      seq = src.slice(start, start + 2 + (cp === undefined ? 0 : width(cp)));
      name = seq.slice(2);
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const property = CATEGORIES.has(name) ? name : `Script=${name}`;
    const js = `\\${negated ? "P" : "p"}{${property}}`;
    if (!/^[A-Za-z_]+$/.test(name) || !isValidRegExp(js)) throw new RegexSyntaxError(ERR.charRange, seq);
    this.pos = start + seq.length;
    return { atom: js, item: js, set: ANY };
  }

  private charClass(): CharNode {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    const negated = src.charCodeAt(this.pos) === CARET;
    if (negated) this.pos++;
    const first = this.pos;
    const items: string[] = [];
    let set: CharSet = EMPTY;
    // A \p{…} item makes the set unknowable here; keep it "anything" even when the class is negated.
    let unknown = false;
    // As in Go, a `]` right after `[` or `[^` is a literal.
    while (this.pos === first || src.charCodeAt(this.pos) !== RBRACKET) {
      if (this.pos >= src.length) throw new RegexSyntaxError(ERR.missingBracket, src.slice(start));
      if (src.startsWith("[:", this.pos)) {
        const close = src.indexOf(":]", this.pos + 2);
        if (close >= 0) {
          const whole = src.slice(this.pos, close + 2);
          const name = src.slice(this.pos + 2, close);
          const posix = POSIX_CLASSES.get(name.replace(/^\^/, ""));
          if (!posix) throw new RegexSyntaxError(ERR.charRange, whole);
          const body = rangesJs(posix);
          items.push(name.startsWith("^") ? `[^${body}]` : body);
          set = union(set, name.startsWith("^") ? negate(posix) : posix);
          this.pos = close + 2;
          continue;
        }
      }
      if (src.charCodeAt(this.pos) === BACKSLASH) {
        const next = src[this.pos + 1];
        if (next === "p" || next === "P") {
          items.push(this.unicodeClass().item);
          unknown = true;
          continue;
        }
        const perl = next === undefined ? undefined : PERL_CLASSES[next];
        if (perl) {
          items.push(perl.item);
          set = union(set, perl.set);
          this.pos += 2;
          continue;
        }
      }
      const rangeStart = this.pos;
      const lo = this.classChar(start);
      let hi = lo;
      if (src.charCodeAt(this.pos) === MINUS && this.pos + 1 < src.length && src.charCodeAt(this.pos + 1) !== RBRACKET) {
        this.pos++;
        hi = this.classChar(start);
        if (hi < lo) throw new RegexSyntaxError(ERR.charRange, src.slice(rangeStart, this.pos));
      }
      items.push(lo === hi ? classCharJs(lo) : `${classCharJs(lo)}-${classCharJs(hi)}`);
      set = union(set, range(lo, hi));
    }
    this.pos++;
    const fold = this.flags.fold;
    if (fold) set = foldAscii(set);
    if (negated) set = negate(set);
    return this.charNode(`[${negated ? "^" : ""}${items.join("")}]`, unknown ? ANY : set, fold, start);
  }

  private classChar(classStart: number): number {
    if (this.pos >= this.src.length) throw new RegexSyntaxError(ERR.missingBracket, this.src.slice(classStart));
    return this.src.charCodeAt(this.pos) === BACKSLASH ? this.escapedCodePoint() : this.nextCodePoint();
  }

  private nextCodePoint(): number {
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += width(cp);
    return cp;
  }

  private literal(cp: number, start: number): CharNode {
    const cased = hasCase(cp);
    const set = range(cp, cp);
    return this.charNode(literalJs(cp), cased && this.flags.fold ? foldAscii(set) : set, cased ? this.flags.fold : null, start);
  }

  private charNode(js: string, set: CharSet, fold: boolean | null, start: number): CharNode {
    return { kind: "char", js, set, fold, start, end: this.pos };
  }

  private assertNode(js: string, length: number): Node {
    const start = this.pos;
    this.pos += length;
    return { kind: "assert", js, start, end: this.pos };
  }
}

function rangesJs(set: CharSet): string {
  let out = "";
  for (let i = 0; i < set.length; i += 2) {
    out += set[i] === set[i + 1] ? classCharJs(set[i]!) : `${classCharJs(set[i]!)}-${classCharJs(set[i + 1]!)}`;
  }
  return out;
}

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source, "v");
    return true;
  } catch {
    return false;
  }
}
