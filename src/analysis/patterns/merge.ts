/**
 * Merging miners: the templates of another miner (a scan unit's, mined in a worker) taken into this one by the same
 * rules, each in the order it was created there, so that merging units in plan order gives one result whatever
 * thread mined which unit. Returns where each template went, for the caller to move what it tallied per template.
 */

import type { PatternMiner } from "./miner.ts";
import type { PatternStats } from "./pattern-stats.ts";
import type { Template } from "./template.ts";

/** For each of `templates`, the template of `into` it joined, or null when `into` was at its cap. */
export function mergeTemplates(into: PatternMiner, templates: readonly Template[], ungrouped: PatternStats): (Template | null)[] {
  const placed = templates.map((t) => into.absorb(t));
  into.ungrouped.merge(ungrouped);
  return placed;
}
