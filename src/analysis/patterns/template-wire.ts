/**
 * A miner's templates as plain arrays, so a triage worker can post its unit's templates to the main thread (as
 * JSON) where they are merged in plan order (merge.ts).
 */

import { PatternStats } from "./pattern-stats.ts";
import type { PatternMiner } from "./miner.ts";
import { Template } from "./template.ts";
import { ValueTally } from "./value-tally.ts";

/** [count, first sec, first nsec, last sec, last nsec, example, services, more services]. */
export type StatsWire = [number, number, number, number, number, string, string[], boolean];

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
}

export function statsToWire(s: PatternStats): StatsWire {
  return [s.count, s.firstSec, s.firstNsec, s.lastSec, s.lastNsec, s.example, s.services.slice(), s.moreServices];
}

/** JSON turns the infinite first/last of an empty tally into null: an empty tally is made afresh. */
export function statsFromWire(w: StatsWire): PatternStats {
  const s = new PatternStats();
  if (w[0] === 0) return s;
  [s.count, s.firstSec, s.firstNsec, s.lastSec, s.lastNsec, s.example] = w;
  s.services.push(...w[6]);
  s.moreServices = w[7];
  return s;
}

export function minerToWire(m: PatternMiner): MinerWire {
  return {
    templates: m.templates.map((t) => ({
      tokens: t.tokens,
      skeletons: t.skeletons,
      words: t.words,
      spaced: t.spaced,
      wild: t.wild,
      stats: statsToWire(t.stats),
      tallies: t.tallies.flatMap((tally, i) => (tally === undefined ? [] : [[i, [...tally.values].map(([v, s]) => [v, statsToWire(s)]), statsToWire(tally.other)]])) as TemplateWire["tallies"],
    })),
    ungrouped: statsToWire(m.ungrouped),
  };
}

/** A template of another miner, to be absorbed (its id is its index there). */
export function templateFromWire(w: TemplateWire, id: number): Template {
  const t = new Template(id, w, w.tokens.length);
  const stats = statsFromWire(w.stats);
  const tallies: (ValueTally | undefined)[] = [];
  for (const [position, values, other] of w.tallies) {
    const [first, ...rest] = values;
    const tally = new ValueTally(first![0], statsFromWire(first![1]));
    for (const [v, s] of rest) tally.values.set(v, statsFromWire(s));
    tally.other.merge(statsFromWire(other));
    tallies[position] = tally;
  }
  t.restore(w.wild, stats, tallies);
  return t;
}
