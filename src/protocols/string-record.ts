/** Structured-metadata maps (protocols-and-peers.md §1: flat string→string), normalised to the capture's sorted-key form. */

import { setOwn } from "./labels-interner.ts";

/**
 * `obj`'s entries as a record whose keys are in sorted order — `obj` itself when already sorted, which is the
 * common case and avoids a copy per log entry. `undefined` when it has no keys; `null` when a value isn't a string.
 */
export function sortedStringRecord(obj: object): Record<string, string> | undefined | null {
  const record = obj as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 0) return undefined;
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    if (typeof record[keys[i]!] !== "string") return null;
    if (i > 0 && keys[i - 1]! > keys[i]!) sorted = false;
  }
  if (sorted) return record as Record<string, string>;
  keys.sort();
  const out: Record<string, string> = {};
  for (const key of keys) setOwn(out, key, record[key] as string);
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
