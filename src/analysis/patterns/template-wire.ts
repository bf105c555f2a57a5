/**
 * A miner's templates as plain arrays, so a triage worker can post its unit's templates to the main thread (as
 * JSON) where they are merged in plan order (merge.ts).
 */

import { PatternStats } from "./pattern-stats.ts";
import type { PatternMiner } from "./miner.ts";
import { Template } from "./template.ts";
import { ValueTally } from "./value-tally.ts";

/** [count, first sec, first nsec, last sec, last nsec, example (an index of `MinerWire.examples`), services, more services]. */
export type StatsWire = [number, number, number, number, number, number, string[], boolean];

export interface TemplateWire {
  tokens: string[];
  skeletons: string[];
  words: boolean[];
  spaced: boolean[];
  wild: ([string, string] | null)[];
  stats: StatsWire;
  /** [position, [value, stats] per tallied value, the other values' stats]. */
  tallies: [number, [string, StatsWire][], StatsWire][];
}

export interface MinerWire {
  templates: TemplateWire[];
  ungrouped: StatsWire;
  /**
   * The example messages, each once: a template, its tallied values and its first line mostly share one, and at a
   * high error rate the examples were half of a unit's templates.
   */
  examples: string[];
}

/** Gives each example message one index. */
class ExampleTable {
  readonly examples: string[] = [];
  readonly #index = new Map<string, number>();

  stats(s: PatternStats): StatsWire {
    let i = this.#index.get(s.example);
    if (i === undefined) {
      i = this.examples.length;
      this.examples.push(s.example);
      this.#index.set(s.example, i);
    }
    return [s.count, s.firstSec, s.firstNsec, s.lastSec, s.lastNsec, i, s.services.slice(), s.moreServices];
  }
}

/** JSON turns the infinite first/last of an empty tally into null: an empty tally is made afresh. */
export function statsFromWire(w: StatsWire, examples: readonly string[]): PatternStats {
  const s = new PatternStats();
  if (w[0] === 0) return s;
  [s.count, s.firstSec, s.firstNsec, s.lastSec, s.lastNsec] = w;
  s.example = examples[w[5]]!;
  s.services.push(...w[6]);
  s.moreServices = w[7];
  return s;
}

export function minerToWire(m: PatternMiner): MinerWire {
  const table = new ExampleTable();
  const templates = m.templates.map(
    (t): TemplateWire => ({
      tokens: t.tokens,
      skeletons: t.skeletons,
      words: t.words,
      spaced: t.spaced,
      wild: t.wild,
      stats: table.stats(t.stats),
      tallies: t.tallies.flatMap((tally, i) => (tally === undefined ? [] : [[i, [...tally.values].map(([v, s]) => [v, table.stats(s)]), table.stats(tally.other)]])) as TemplateWire["tallies"],
    }),
  );
  return { templates, ungrouped: table.stats(m.ungrouped), examples: table.examples };
}

/** A template of another miner, to be absorbed (its id is its index there). */
export function templateFromWire(w: TemplateWire, id: number, examples: readonly string[]): Template {
  const t = new Template(id, w, w.tokens.length);
  const stats = statsFromWire(w.stats, examples);
  const tallies: (ValueTally | undefined)[] = [];
  for (const [position, values, other] of w.tallies) {
    const [first, ...rest] = values;
    const tally = new ValueTally(first![0], statsFromWire(first![1], examples));
    for (const [v, s] of rest) tally.values.set(v, statsFromWire(s, examples));
    tally.other.merge(statsFromWire(other, examples));
    tallies[position] = tally;
  }
  t.restore(w.wild, stats, tallies);
  return t;
}
