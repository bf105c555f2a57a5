/**
 * A push's entries grouped into Loki streams: one stream per label set, in order of first appearance, each keeping
 * its entries' order. Label sets are grouped by object identity, which is what interning (and the forwarder's
 * relabelling) guarantees for equal sets, so grouping costs one Map lookup per entry.
 */

import type { Entry, Labels } from "../../model/entry.ts";

export interface PushStream {
  labels: Labels;
  entries: Entry[];
}

export function groupStreams(entries: readonly Entry[]): PushStream[] {
  const byLabels = new Map<Labels, PushStream>();
  for (const e of entries) {
    let s = byLabels.get(e.labels);
    if (!s) byLabels.set(e.labels, (s = { labels: e.labels, entries: [] }));
    s.entries.push(e);
  }
  return [...byLabels.values()];
}

/**
 * `{name="value", …}` as Loki's label parser reads it. Values are written with JSON string escapes, which are also
 * valid Go string escapes (`\"`, `\\`, `\n`, `\uXXXX`).
 */
export function labelString(labels: Labels): string {
  return "{" + Object.keys(labels).map((k) => `${k}=${JSON.stringify(labels[k])}`).join(", ") + "}";
}
