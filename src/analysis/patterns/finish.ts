/**
 * From templates to the final patterns. A wildcard that replaced a word is turned back into that word when the word
 * holds at least DOMINANT_SHARE of the template's lines (and the template has MIN_LINES): the template splits into
 * the dominant value's pattern and the rest's. `client WindowsUpdateAgent.` in 608 lines and `client SPP.` in one
 * are two events; users `cyrus`, `news` and `test` in a third of the lines each are one (docs/benchmarks.md,
 * Patterns). At most one split per template. Templates that end with the same text are one pattern.
 */

import { isWordToken } from "./masks.ts";
import type { PatternMiner } from "./miner.ts";
import { patternId } from "./pattern-id.ts";
import { PatternStats } from "./pattern-stats.ts";
import { renderTokens, type Template } from "./template.ts";

export const DOMINANT_SHARE = 0.98;
export const MIN_LINES = 10;

export interface FinalPattern {
  id: string;
  text: string;
  stats: PatternStats;
}

interface Split {
  position: number;
  value: string;
  main: FinalPattern;
  rest: FinalPattern;
}

export class MinedPatterns {
  /** By count descending, then text. */
  readonly patterns: FinalPattern[];
  readonly ungrouped: PatternStats;
  readonly maxTemplates: number;
  /** Lines mined, grouped or not. */
  readonly lines: number;
  /** Templates the miner made (a second pass that makes more did not see the same lines). */
  readonly templates: number;
  readonly #byTemplate: (FinalPattern | Split)[] = [];

  constructor(miner: PatternMiner) {
    const byText = new Map<string, FinalPattern>();
    const pattern = (text: string, stats: PatternStats): FinalPattern => {
      let p = byText.get(text);
      if (p === undefined) byText.set(text, (p = { id: patternId(text), text, stats: new PatternStats() }));
      p.stats.merge(stats);
      return p;
    };
    for (const t of miner.templates) {
      const split = dominantSplit(t);
      if (split === null) {
        this.#byTemplate[t.id] = pattern(t.text(), t.stats);
        continue;
      }
      const [position, value, stats] = split;
      const rest = new PatternStats();
      const tally = t.tallies[position]!;
      for (const [v, s] of tally.values) if (v !== value) rest.merge(s);
      rest.merge(tally.other);
      const tokens = t.tokens.slice();
      tokens[position] = value;
      const main = pattern(renderTokens(tokens, t.spaced), stats);
      this.#byTemplate[t.id] = { position, value, main, rest: pattern(t.text(), rest) };
    }
    this.patterns = [...byText.values()].sort((a, b) => b.stats.count - a.stats.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    this.ungrouped = miner.ungrouped;
    this.maxTemplates = miner.maxTemplates;
    this.templates = miner.templates.length;
    this.lines = this.patterns.reduce((n, p) => n + p.stats.count, this.ungrouped.count);
  }

  /** The final pattern of a line that the miner placed in `t`; `tokens` are the line's (miner.line.tokens). */
  assign(t: Template, tokens: readonly string[]): FinalPattern {
    const p = this.#byTemplate[t.id]!;
    if (!("position" in p)) return p;
    return tokens[p.position] === p.value ? p.main : p.rest;
  }
}

/** The tallied position whose top value qualifies with the highest share (the first on a tie), or null. */
function dominantSplit(t: Template): [number, string, PatternStats] | null {
  const total = t.stats.count;
  if (total < MIN_LINES) return null;
  let best: [number, string, PatternStats] | null = null;
  for (let i = 0; i < t.tallies.length; i++) {
    const tally = t.tallies[i];
    if (tally === undefined) continue;
    const [value, stats] = tally.top();
    if (stats.count >= total || stats.count < DOMINANT_SHARE * total || !isWordToken(value)) continue;
    if (best === null || stats.count > best[2].count) best = [i, value, stats];
  }
  return best;
}
