/**
 * The annotations tap manages, as layers over the user's original values (the record's `annotations[key].before`):
 * - a scalar key (`logtap.dev/target`, `logtap.dev/forwarder`) shows the value of the last session still tapped
 *   in that sets it, and its original when none is left;
 * - a comma-list key (`logtap.dev/tapped`, the mesh port lists) carries the items the remaining sessions need:
 *   tap appends an item that is not there yet (and records it as `added`); untap removes an added item once no
 *   remaining session needs it. Items the user had are never touched.
 * A value that differs from what tap last wrote was changed by someone else: the user's change wins, tap stops
 * managing that key, and the change is reported as a conflict.
 */

import { appendItem, hasItem, removeItem } from "./comma-list.ts";
import type { SessionRecord, TapRecord } from "./tap-record.ts";

type Annotations = Record<string, string>;

function valueOf(ann: Annotations, key: string): string | null {
  return Object.hasOwn(ann, key) ? ann[key]! : null;
}

function put(ann: Annotations, key: string, value: string | null): void {
  if (value === null) delete ann[key];
  else ann[key] = value;
}

/** The value the last of `sessions` that sets `key` wrote, or null when none sets it. */
function lastSetter(sessions: readonly SessionRecord[], key: string): string | null {
  for (let i = sessions.length - 1; i >= 0; i--) {
    const v = sessions[i]!.set[key];
    if (v !== undefined) return v;
  }
  return null;
}

/** tap: `session` (not yet in record.sessions) sets scalar `key` to `value`. */
export function setScalar(record: TapRecord, ann: Annotations, session: SessionRecord, key: string, value: string): void {
  const current = valueOf(ann, key);
  const entry = record.annotations[key];
  if (entry === undefined) {
    record.annotations[key] = { before: current };
  } else if (current !== lastSetter(record.sessions, key)) {
    // Someone changed it after an earlier session set it: their value is the one to come back to.
    entry.before = current;
    for (const s of record.sessions) delete s.set[key];
  }
  session.set[key] = value;
  ann[key] = value;
}

/** tap: `session` needs `item` in the comma list `key`. */
export function addListItem(record: TapRecord, ann: Annotations, session: SessionRecord, key: string, item: string): void {
  const current = valueOf(ann, key);
  const entry = (record.annotations[key] ??= { before: current, added: [] });
  entry.added ??= [];
  if (!hasItem(current, item)) {
    ann[key] = appendItem(current, item);
    if (!entry.added.includes(item)) entry.added.push(item);
  }
  session.items[key] = item;
}

/**
 * untap: `removed` leaves; `remaining` are the sessions that stay. Puts back what `removed` alone accounted for and
 * returns the conflicts found (text for the user).
 */
export function releaseAnnotations(record: TapRecord, ann: Annotations, removed: SessionRecord, remaining: readonly SessionRecord[]): string[] {
  const conflicts: string[] = [];
  // record.sessions still holds `removed`, in tap order: the value tap last wrote comes from there.
  const before = record.sessions;
  for (const key of Object.keys(removed.set)) {
    const entry = record.annotations[key];
    if (entry === undefined) continue;
    const current = valueOf(ann, key);
    const expected = lastSetter(before, key);
    if (current !== expected) {
      conflicts.push(`annotation ${key} was changed since tap (${describe(current)}, tap wrote ${describe(expected)}): kept it`);
      delete record.annotations[key];
      for (const s of remaining) delete s.set[key];
      continue;
    }
    const next = lastSetter(remaining, key);
    if (next !== null) put(ann, key, next);
    else {
      put(ann, key, entry.before);
      delete record.annotations[key];
    }
  }
  for (const [key, item] of Object.entries(removed.items)) {
    const entry = record.annotations[key];
    if (entry === undefined) continue;
    entry.added ??= [];
    const stillNeeded = remaining.some((s) => s.items[key] === item);
    if (!stillNeeded && entry.added.includes(item)) {
      entry.added = entry.added.filter((x) => x !== item);
      const current = valueOf(ann, key);
      const without = current === null ? null : removeItem(current, item);
      if (without === null) conflicts.push(`annotation ${key} no longer lists ${item} (${describe(current)}): nothing to remove`);
      else put(ann, key, without);
    }
    if (!remaining.some((s) => s.items[key] !== undefined)) {
      // No session needs this list any more: drop a key tap created and left empty; report a list someone edited.
      const current = valueOf(ann, key);
      if (entry.before === null && current === "") delete ann[key];
      else if (current !== entry.before) {
        conflicts.push(`annotation ${key} was changed since tap (${describe(current)}, was ${describe(entry.before)}): removed only logtap's items`);
      }
      delete record.annotations[key];
    }
  }
  return conflicts;
}

function describe(v: string | null): string {
  return v === null ? "absent" : JSON.stringify(v);
}
