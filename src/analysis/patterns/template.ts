/**
 * A template: the tokens its lines share, a wildcard where they differ, and what it knows about its lines. How
 * a template takes in a line (or another template) and how it shows itself are here; finding which template a line
 * belongs to is the parse tree's job (parse-tree.ts).
 *
 * Positions are of three kinds:
 * - concrete: every line had this token;
 * - same shape (`t<*>`, `vis=<*>`): tokens that differed only in digits or masks; still compared by skeleton;
 * - wildcard (`<*>`, `"user":"<*>",`): tokens of different shapes; a wildcard keeps the key before it (up to a `=`
 *   or `:`) and the punctuation after it that all its lines share. Wildcards are left out of the similarity.
 * A wildcard that replaced a word keeps a tally of the values seen there (value-tally.ts), from which the final
 * templates may split one dominant value off again (finish.ts).
 */

import { PatternStats } from "./pattern-stats.ts";
import { ValueTally } from "./value-tally.ts";

export const WILDCARD = "<*>";
/** Word positions that keep a value tally, per template: enough for the split, bounded memory. */
export const MAX_TALLIED_POSITIONS = 4;

/** What `similarity` tells: the share `same` / `compared` and the wildcards. */
export interface Similarity {
  same: number;
  compared: number;
  params: number;
}

/** What a template is made of; a masked line is the one-line case (no wildcards, no tallies). */
export interface TemplateParts {
  readonly tokens: readonly string[];
  readonly skeletons: readonly string[];
  readonly words: readonly boolean[];
  readonly spaced: readonly boolean[];
}

export class Template implements TemplateParts {
  readonly id: number;
  readonly tokens: string[];
  readonly skeletons: string[];
  readonly words: boolean[];
  readonly spaced: boolean[];
  /** Per position: null, or the [prefix, suffix] a wildcard's tokens share. */
  readonly wild: ([string, string] | null)[];
  readonly tallies: (ValueTally | undefined)[] = [];
  #tallied = 0;
  /** Positions that are not wildcards. */
  #concrete: number;
  readonly stats = new PatternStats();

  constructor(id: number, parts: TemplateParts, length: number) {
    this.id = id;
    this.tokens = parts.tokens.slice(0, length);
    this.skeletons = parts.skeletons.slice(0, length);
    this.words = parts.words.slice(0, length);
    this.spaced = parts.spaced.slice(0, length);
    this.wild = new Array(length).fill(null);
    this.#concrete = length;
  }

  /** A copy with a new id (the merge of per-unit miners starts a template from another miner's). */
  static copyOf(id: number, o: Template): Template {
    const t = new Template(id, o, o.length);
    t.restore(o.wild, o.stats, o.tallies.map((tally) => tally?.copy()));
    return t;
  }

  /** Takes on the wildcards, lines and tallies of a template from another miner (copyOf, template-wire.ts). */
  restore(wild: readonly ([string, string] | null)[], stats: PatternStats, tallies: readonly (ValueTally | undefined)[]): void {
    for (let i = 0; i < wild.length; i++) {
      if (wild[i] === null) continue;
      this.wild[i] = wild[i]!;
      this.#concrete--;
    }
    for (let i = 0; i < tallies.length; i++) {
      if (tallies[i] === undefined) continue;
      this.tallies[i] = tallies[i];
      this.#tallied++;
    }
    this.stats.merge(stats);
  }

  get length(): number {
    return this.tokens.length;
  }

  /**
   * How alike a line (or template) is: the share of the non-wildcard positions (of either side) whose skeleton it
   * has, as `out.same` / `out.compared`; false as soon as the share cannot reach `atLeast` (`num`/`den`; most
   * templates of a leaf are ruled out after a few tokens). The bound is kept in integers so that a share equal to
   * it is never ruled out: which template wins a tie then does not depend on the order templates are tried in.
   * `out.params` receives the number of wildcards, the tie-break.
   */
  similarity(other: TemplateParts, otherWild: readonly ([string, string] | null)[] | null, num: number, den: number, out: Similarity): boolean {
    const n = this.tokens.length;
    // (concrete − missed) / concrete bounds the share from above, whatever the newcomer's wildcards leave out.
    const concrete = this.#concrete;
    let same = 0;
    let compared = 0;
    let missed = 0;
    let params = 0;
    for (let i = 0; i < n; i++) {
      if (this.wild[i] !== null || (otherWild !== null && otherWild[i] !== null)) {
        params++;
        continue;
      }
      compared++;
      if (this.skeletons[i] === other.skeletons[i]) same++;
      else if ((concrete - ++missed) * den < num * concrete) return false;
    }
    out.params = params;
    // No position to compare is a perfect match.
    out.same = compared === 0 ? 1 : same;
    out.compared = compared === 0 ? 1 : compared;
    return true;
  }

  /**
   * Makes room for a line (or another template, with its wildcards): positions that differ are generalised; a
   * word that becomes a wildcard starts a tally with the lines so far. The newcomer's lines are counted next, by
   * recordLine or record.
   */
  generalise(other: TemplateParts, otherWild: readonly ([string, string] | null)[] | null): void {
    const n = this.tokens.length;
    for (let i = 0; i < n; i++) {
      const tok = other.tokens[i]!;
      const theirs = otherWild === null ? null : otherWild[i]!;
      const mine = this.wild[i]!;
      if (mine !== null) {
        const w = theirs !== null ? commonWild(mine, theirs) : fits(tok, mine) ? mine : commonWild(mine, keyOf(tok, tok));
        if (w !== mine) this.#setWild(i, w);
        continue;
      }
      if (theirs === null && this.tokens[i] === tok) continue;
      if (theirs === null && this.skeletons[i] === other.skeletons[i]) {
        this.tokens[i] = sameShape(this.tokens[i]!, tok);
        this.words[i] = false;
        continue;
      }
      const held = this.tokens[i]!;
      if (this.words[i] && this.#tallied < MAX_TALLIED_POSITIONS) {
        this.tallies[i] = new ValueTally(held, this.stats.clone());
        this.#tallied++;
      }
      this.#setWild(i, theirs !== null ? commonWild(keyOf(held, held), theirs) : keyOf(held, tok));
    }
  }

  /** Counts one line of this template (after generalise, or as its first line), or `weight` lines like it. */
  recordLine(line: TemplateParts, sec: number, nsec: number, msg: string, service: string, weight = 1): void {
    this.stats.add(sec, nsec, msg, service, weight);
    if (this.#tallied === 0) return;
    for (let i = 0; i < this.tokens.length; i++) this.tallies[i]?.addLine(line.tokens[i]!, sec, nsec, msg, service, weight);
  }

  /** Counts lines given as stats: another template's (with its wildcards and tallies), or a weighted line's. */
  record(other: TemplateParts, otherWild: readonly ([string, string] | null)[] | null, otherTallies: readonly (ValueTally | undefined)[] | null, stats: PatternStats): void {
    this.stats.merge(stats);
    if (this.#tallied === 0) return;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tallies[i];
      if (t === undefined) continue;
      const theirs = otherTallies === null ? undefined : otherTallies[i];
      if (theirs !== undefined) t.mergeTally(theirs);
      else if (otherWild !== null && otherWild[i] !== null) t.addUnknown(stats);
      else t.add(other.tokens[i]!, stats);
    }
  }

  #setWild(i: number, w: [string, string]): void {
    if (this.wild[i] === null) this.#concrete--;
    this.wild[i] = w;
    this.tokens[i] = w[0] + WILDCARD + w[1];
    this.skeletons[i] = "";
    this.words[i] = false;
  }

  /** The template as text: tokens with the first line's spacing. */
  text(): string {
    return renderTokens(this.tokens, this.spaced);
  }
}

export function renderTokens(tokens: readonly string[], spaced: readonly boolean[]): string {
  let s = "";
  for (let i = 0; i < tokens.length; i++) s += (i > 0 && spaced[i] ? " " : "") + tokens[i];
  return s;
}

function fits(tok: string, w: readonly [string, string]): boolean {
  return tok.length >= w[0].length + w[1].length && tok.startsWith(w[0]) && tok.endsWith(w[1]);
}

// A key ends at `=` or `:`, optionally followed by an opening quote; the shared tail is punctuation only.
const KEY_END = new Set(["=", ":"]);
const TAIL = new Set(['"', "'", ",", ";", ")", "]", "}", "."]);

function sharedKey(a: string, b: string): string {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let key = p;
  while (key > 0 && !KEY_END.has(a[key - 1]!)) key--;
  // An opening quote stays with the key (`"user":"<*>"`), or alone (`"<*>"`) when there is no key.
  if (key < p && (a[key] === '"' || a[key] === "'")) key++;
  return a.slice(0, key);
}

function sharedTail(a: string, b: string, room: number): string {
  let s = 0;
  while (s < room && s < a.length && s < b.length && a[a.length - 1 - s] === b[b.length - 1 - s] && TAIL.has(a[a.length - 1 - s]!)) s++;
  return s > 0 ? a.slice(a.length - s) : "";
}

/** The [key, tail] two tokens of different shapes share, e.g. `"user":"alice",` / `"user":"bob",` → `"user":"`, `",`. */
export function keyOf(a: string, b: string): [string, string] {
  const key = sharedKey(a, b);
  return [key, sharedTail(a, b, Math.min(a.length, b.length) - key.length)];
}

function commonWild(a: readonly [string, string], b: readonly [string, string]): [string, string] {
  return [sharedKey(a[0], b[0]), sharedTail(a[1], b[1], Infinity)];
}

/**
 * Two tokens of the same shape as one: the common start and end kept, the middle a wildcard (`t0`, `t7` → `t<*>`;
 * `vis=<NUM>`, `vis=<ID>` → `vis=<*>`). A mask is never cut in half, and digits next to the wildcard go into it.
 */
export function sameShape(a: string, b: string): string {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  let head = a.slice(0, p);
  const open = head.lastIndexOf("<");
  if (open >= 0 && head.indexOf(">", open) < 0) head = head.slice(0, open);
  let tail = a.slice(a.length - s);
  const close = tail.indexOf(">");
  if (close >= 0 && tail.lastIndexOf("<", close) < 0) tail = tail.slice(close + 1);
  head = head.replace(/\d+$/, "");
  tail = tail.replace(/^\d+/, "");
  return head + WILDCARD + tail;
}
