/**
 * Merging miners: the templates of one miner (a scan unit's, in a worker) taken into another by the same rules —
 * each in the order it was created, so merging units in plan order gives one result whatever thread mined which
 * unit. Returns where each template went, for the caller to move what it tallied per template.
 */

import type { PatternMiner } from "./miner.ts";
import type { Template } from "./template.ts";

/** For each template of `from` (by id), the template of `into` it joined, or null when `into` was at its cap. */
export function mergeMiner(into: PatternMiner, from: PatternMiner): (Template | null)[] {
  const placed = from.templates.map((t) => into.absorb(t));
  into.ungrouped.merge(from.ungrouped);
  return placed;
}
