/** Label-set interning shared by every push decoder (protocols-and-peers.md §1: one stream = one label set). */

import { EMPTY_LABELS, type Labels } from "../model/entry.ts";

/** Beyond this many distinct sets the cache is dropped rather than evicted: high churn means caching no longer pays. */
export const MAX_INTERNED_SETS = 10_000;

// Two keyings converge on the same objects: raw label strings (protobuf/legacy) alias the canonical set entry.
const bySet = new Map<string, Labels>();
const byRaw = new Map<string, Labels>();

function makeRoom(map: Map<string, Labels>): void {
  if (map.size >= MAX_INTERNED_SETS) {
    bySet.clear();
    byRaw.clear();
  }
}

/** The interned set previously registered for this exact raw label string, if any. */
export function lookupRawLabels(raw: string): Labels | undefined {
  return byRaw.get(raw);
}

export function rememberRawLabels(raw: string, labels: Labels): void {
  makeRoom(byRaw);
  byRaw.set(raw, labels);
}

/** Sorts a flat `[name0, value0, name1, value1, …]` list by name in place (byte order, as Go sorts labels). */
export function sortPairs(pairs: string[]): void {
  const n = pairs.length;
  if (n > 32) {
    const tuples: [string, string][] = [];
    for (let i = 0; i < n; i += 2) tuples.push([pairs[i]!, pairs[i + 1]!]);
    tuples.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (let i = 0; i < tuples.length; i++) {
      pairs[2 * i] = tuples[i]![0];
      pairs[2 * i + 1] = tuples[i]![1];
    }
    return;
  }
  // Insertion sort: real label sets are small and usually already sorted, making this a single pass.
  for (let i = 2; i < n; i += 2) {
    const name = pairs[i]!;
    const value = pairs[i + 1]!;
    let j = i - 2;
    while (j >= 0 && pairs[j]! > name) {
      pairs[j + 2] = pairs[j]!;
      pairs[j + 3] = pairs[j + 1]!;
      j -= 2;
    }
    pairs[j + 2] = name;
    pairs[j + 3] = value;
  }
}

/** Assigns an own property even for `__proto__`, which plain assignment would swallow. */
export function setOwn(target: Record<string, string>, name: string, value: string): void {
  if (name === "__proto__") {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[name] = value;
  }
}

/**
 * The frozen, shared Labels object for a name-sorted flat pair list with unique names. Same set → same object,
 * which is what lets the writer cache serialized labels by identity.
 */
export function internSortedPairs(pairs: string[]): Labels {
  if (pairs.length === 0) return EMPTY_LABELS;
  // Length prefixes keep the key unambiguous whatever characters names and values contain.
  let key = "";
  for (let i = 0; i < pairs.length; i++) key += pairs[i]!.length + ":" + pairs[i];
  const known = bySet.get(key);
  if (known !== undefined) return known;
  const labels: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) setOwn(labels, pairs[i]!, pairs[i + 1]!);
  Object.freeze(labels);
  makeRoom(bySet);
  bySet.set(key, labels);
  return labels;
}

/** Number of cached entries (sets plus raw aliases); exposed so the bound can be tested. */
export function internedCount(): number {
  return bySet.size + byRaw.size;
}
