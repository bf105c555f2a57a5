/**
 * The "services" of a capture for the replay's picker and services line (upstream §5.3): the label key with the most
 * distinct values in the index (ties: key name ascending), and each value's summed line count, most lines first.
 */

import type { IndexEntry } from "../../capture/index-file.ts";
import type { LabelFilter } from "../../capture/filters/label-filter.ts";

export interface Service {
  name: string;
  lines: number;
}

export interface Services {
  key: string;
  list: Service[];
}

export function servicesOf(index: readonly IndexEntry[]): Services | null {
  const byKey = new Map<string, Map<string, number>>();
  for (const e of index) {
    for (const [k, values] of Object.entries(e.labels ?? {})) {
      let m = byKey.get(k);
      if (!m) byKey.set(k, (m = new Map()));
      for (const [v, n] of Object.entries(values)) m.set(v, (m.get(v) ?? 0) + n);
    }
  }
  let best: string | null = null;
  for (const k of [...byKey.keys()].sort()) if (best === null || byKey.get(k)!.size > byKey.get(best)!.size) best = k;
  if (best === null) return null;
  const list = [...byKey.get(best)!].map(([name, lines]) => ({ name, lines }));
  list.sort((a, b) => b.lines - a.lines || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { key: best, list };
}

/** The services a `--label` filter on the service key leaves (a filter on another key cannot be judged from the index). */
export function servicesPassing(services: Services, labels: readonly LabelFilter[]): Service[] {
  const onKey = labels.filter((f) => f.key === services.key);
  return onKey.length === 0 ? services.list : services.list.filter((s) => onKey.every((f) => f.value === s.name));
}
