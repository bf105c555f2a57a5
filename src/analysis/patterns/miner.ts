/**
 * The template miner: masks (masks.ts), then Drain's parse tree (parse-tree.ts), then the template store below —
 * one line at a time, in bounded memory, the same result for the same lines in the same order. At most
 * `maxTemplates` templates: a line that would start one more is counted as ungrouped instead. `finish()` turns the
 * templates into the final patterns with their ids (finish.ts).
 *
 * Lines whose masked tokens equal an earlier line's go straight to that line's template: it still takes them (a
 * template only generalises, so every position where it is concrete still holds their token), and most lines of a
 * capture are an earlier line with other ids — 91 % of triage's distinct error messages on the read benchmark. When
 * lines stop repeating (under one in five hits over 4,096 lines) the lookups pause for 16,384 lines: remembering
 * every line that misses costs a copy of its tokens. The key is the hash the masker computed over the tokens,
 * confirmed token by token.
 */

import { MaskedLine, maskMessage } from "./masks.ts";
import { ParseTree } from "./parse-tree.ts";
import { PatternStats } from "./pattern-stats.ts";
import { Template, type TemplateParts } from "./template.ts";

export const DEFAULT_MAX_TEMPLATES = 10_000;
/** Masked token sequences remembered; the memory is emptied when full, which keeps it bounded and deterministic. */
const SEEN_LINES = 65_536;
const SEEN_WINDOW = 4_096;
const SEEN_MIN_HITS = SEEN_WINDOW / 5;
const SEEN_PAUSE = 16_384;

interface SeenLine {
  tokens: string[];
  template: Template;
  next: SeenLine | undefined;
}

/** The masker interns its pieces, so equal tokens are mostly one string and this settles on identity. */
function sameTokens(tokens: readonly string[], line: MaskedLine): boolean {
  if (tokens.length !== line.length) return false;
  for (let k = 0; k < tokens.length; k++) if (tokens[k] !== line.tokens[k]) return false;
  return true;
}

export class PatternMiner {
  /** The last line mined, as tokens (valid until the next call): what a second pass needs to place it. */
  readonly line = new MaskedLine();
  readonly templates: Template[] = [];
  readonly maxTemplates: number;
  /** Lines that would have started a template past the cap. */
  readonly ungrouped = new PatternStats();
  readonly #tree = new ParseTree();
  /** Whether the last #place started a template as a copy of another miner's (its lines already counted). */
  #copied = false;
  /** The hash of a line's masked tokens → lines with those tokens (most often one) and the template each joined. */
  readonly #seen = new Map<number, SeenLine>();
  /** The same for templates absorbed from other miners (their tokens show their wildcards). */
  readonly #seenTemplates = new Map<string, Template>();
  #seenCount = 0;
  #seenLookups = 0;
  #seenHits = 0;
  /** Lines left before lookups resume. */
  #seenPaused = 0;

  constructor(maxTemplates = DEFAULT_MAX_TEMPLATES) {
    this.maxTemplates = Math.max(1, maxTemplates);
  }

  /**
   * @example
   * const t = miner.add("GET /items/42 took 12ms", e.sec, e.nsec, "api"); // the template, or null past the cap
   */
  add(msg: string, sec: number, nsec: number, service: string): Template | null {
    maskMessage(msg, this.line);
    const t = this.#placeLine();
    if (t === null) this.ungrouped.add(sec, nsec, msg, service);
    else t.recordLine(this.line, sec, nsec, msg, service);
    return t;
  }

  /**
   * A message that stands for `count` lines, the earliest at sec/nsec with `example` as its text (triage mines each
   * distinct signature once, with its count).
   */
  addCounted(msg: string, count: number, sec: number, nsec: number, example: string): Template | null {
    maskMessage(msg, this.line);
    const t = this.#placeLine();
    if (t === null) this.ungrouped.add(sec, nsec, example, "", count);
    else t.recordLine(this.line, sec, nsec, example, "", count);
    return t;
  }

  /**
   * Another miner's template, clustered by the same rules (merge.ts). One with the same tokens as an earlier one goes
   * where that one went (triage's units mostly bring the templates the units before them brought).
   */
  absorb(o: Template): Template | null {
    const key = o.tokens.join("\u0001");
    const known = this.#seenTemplates.get(key);
    if (known !== undefined) {
      known.record(o, o.wild, o.tallies, o.stats);
      return known;
    }
    const t = this.#place(o, o.length, o.wild, o);
    if (t !== null) {
      if (this.#seenTemplates.size >= SEEN_LINES) this.#seenTemplates.clear();
      this.#seenTemplates.set(key, t);
    }
    if (t === null) this.ungrouped.merge(o.stats);
    else if (!this.#copied) t.record(o, o.wild, o.tallies, o.stats);
    return t;
  }

  #placeLine(): Template | null {
    const line = this.line;
    if (this.#seenPaused > 0) {
      this.#seenPaused--;
      return this.#place(line, line.length, null, null);
    }
    let known: Template | undefined;
    const first = this.#seen.get(line.hash);
    for (let s = first; s !== undefined; s = s.next) {
      if (sameTokens(s.tokens, line)) {
        known = s.template;
        break;
      }
    }
    if (++this.#seenLookups === SEEN_WINDOW) {
      if (this.#seenHits + (known !== undefined ? 1 : 0) < SEEN_MIN_HITS) this.#seenPaused = SEEN_PAUSE;
      this.#seenLookups = this.#seenHits = 0;
    }
    if (known !== undefined) {
      this.#seenHits++;
      return known;
    }
    const t = this.#place(line, line.length, null, null);
    if (t !== null) {
      if (this.#seenCount >= SEEN_LINES) {
        this.#seen.clear();
        this.#seenCount = 0;
      }
      this.#seenCount++;
      this.#seen.set(line.hash, { tokens: line.tokens.slice(0, line.length), template: t, next: this.#seen.get(line.hash) });
    }
    return t;
  }

  /** The template a newcomer joins (generalised to take it) or starts; null at the cap. */
  #place(parts: TemplateParts, length: number, wild: Template["wild"] | null, from: Template | null): Template | null {
    this.#copied = false;
    let leaf = this.#tree.leaf(parts, length, wild, false);
    const found = leaf === null ? null : this.#tree.best(leaf, parts, wild);
    if (found !== null) {
      found.generalise(parts, wild);
      return found;
    }
    if (this.templates.length >= this.maxTemplates) return null;
    leaf ??= this.#tree.leaf(parts, length, wild, true)!;
    const t = from !== null ? Template.copyOf(this.templates.length, from) : new Template(this.templates.length, parts, length);
    this.#copied = from !== null;
    this.#tree.insert(leaf, t);
    this.templates.push(t);
    return t;
  }
}
