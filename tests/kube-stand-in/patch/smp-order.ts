/**
 * The list helpers of strategic merge patch (apimachinery pkg/util/strategicpatch/patch.go, apply half): element
 * typing, partitioning, the element order ($setElementOrder > order in the patch > order in the live list), and
 * the errors they raise. Transcribed function by function; Go's interface equality is `goEq` (nil equals nil).
 */

import { goType, goV } from "./go-format.ts";
import type { GoSlice } from "./go-slice.ts";
import { sliceStable } from "./go-sort.ts";

export type Obj = Record<string, unknown>;

/** A strategic merge patch failure; `status` says how interpretStrategicMergePatchError reports it. */
export class SmpError extends Error {
  constructor(
    message: string,
    /** "badRequest" → 400; "unprocessable" → the generic 422; "plain" → a non-Status error, i.e. 500. */
    readonly status: "badRequest" | "unprocessable" | "plain" = "plain",
  ) {
    super(message);
  }
}

export const ErrBadJSONDoc = () => new SmpError("invalid JSON document", "badRequest");
export const ErrNoListOfLists = () => new SmpError("lists of lists are not supported", "unprocessable");
export const ErrBadPatchFormatForPrimitiveList = () => new SmpError("invalid patch format of primitive list", "badRequest");
export const ErrBadPatchFormatForRetainKeys = () => new SmpError("invalid patch format of retainKeys", "badRequest");
export const ErrBadPatchFormatForSetElementOrderList = () => new SmpError("invalid patch format of setElementOrder list", "badRequest");

export function ErrNoMergeKey(m: unknown, key: string): SmpError {
  return new SmpError(`map: ${goV(m)} does not contain declared merge key: ${key}`);
}

/** mergepatch.ErrBadArgType: reflect type names; a nil actual is a nil reflect.Type, which %s prints oddly. */
export function ErrBadArgType(expected: string, actual: unknown): SmpError {
  return new SmpError(`expected a ${expected}, but received a ${actual === null || actual === undefined ? "%!s(<nil>)" : goType(actual)}`);
}

export function ErrBadPatchType(t: unknown, m: unknown): SmpError {
  return new SmpError(`unknown patch type: ${typeof t === "string" ? t : `%!s(${goType(t)}=${goV(t)})`} in map: ${goV(m)}`);
}

export const MAP = "map[string]interface {}";
export const SLICE = "[]interface {}";

export function isMap(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function has(o: Obj, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** Go's == on interface{} values decoded from JSON: nil equals nil (a missing map entry reads as nil). */
export function goEq(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  return a === b;
}

/** The reflect.Kind of all elements of the lists, which must agree ("map", "slice" or a scalar type name). */
export function sliceElementType(...slices: unknown[][]): string {
  let prev: string | undefined;
  for (const s of slices) {
    for (const v of s) {
      const current = goType(v);
      if (prev === undefined) {
        if (current === "<nil>") throw new SmpError("runtime error: invalid memory address or nil pointer dereference");
        prev = current;
        if (prev === SLICE) throw ErrNoListOfLists();
      } else if (prev !== current) {
        throw new SmpError(`list element types are not identical: ${goV(slices)}`);
      }
    }
  }
  if (prev === undefined) throw new SmpError("no elements in any of the given slices");
  return prev === MAP ? "map" : prev;
}

/** findMapInSliceBasedOnKeyValue: the first map whose merge key equals `value`. */
export function findMapInSlice(m: unknown[], key: string, value: unknown): [Obj, number] | undefined {
  for (let k = 0; k < m.length; k++) {
    const v = m[k];
    if (!isMap(v)) throw new SmpError(`value for key ${k} is not a map.`);
    if (has(v, key) && goEq(v[key], value)) return [v, k];
  }
  return undefined;
}

/** Items of `list` present in `partitionBy`, then the others (both in list order). */
export function partitionPrimitives(list: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(partitionBy);
  return [list.filter((v) => inPatch.has(v)), list.filter((v) => !inPatch.has(v))];
}

export function partitionMaps(list: unknown[], partitionBy: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isMap(v)) throw ErrBadArgType(MAP, v);
    if (!has(v, mergeKey)) throw ErrNoMergeKey(v, mergeKey);
    (findMapInSlice(partitionBy, mergeKey, v[mergeKey]) ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

/** The position of `value` in `list`, compared by merge key for maps. */
function index(list: unknown[], value: unknown, mergeKey: string, kind: string): number {
  const key = (item: unknown) => (kind === "map" ? (isMap(item) ? item[mergeKey] : undefined) : item);
  const wanted = key(value);
  return list.findIndex((v) => goEq(wanted, key(v)));
}

/** Elements carrying `$patch: delete`, split from the others. */
export function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of list) {
    if (!isMap(v)) throw ErrBadArgType(MAP, v);
    (has(v, "$patch") && v.$patch === "delete" ? toDelete : nonDelete).push(v);
  }
  return [nonDelete, toDelete];
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) throw ErrBadArgType(MAP, item);
      if (!has(item, mergeKey)) throw ErrNoMergeKey(item, mergeKey);
    }
  }
}

/** Sorts `toSort` by the positions in `order`, delete directives last. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let toDelete: unknown[] = [];
  let sorted = [...toSort];
  if (kind === "map") {
    validateMergeKeyInLists(mergeKey, sorted, order);
    [sorted, toDelete] = extractToDeleteItems(sorted);
  }
  sliceStable(sorted, (a, b) => {
    const ia = index(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = index(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...sorted, ...toDelete];
}

/**
 * Patch items sorted by `patchOrder`, server-only items by `serverOrder`, then merged: a server-only item goes
 * before the next patch item only when both are in the live list and it came first there.
 */
export function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: string,
): unknown[] {
  const right = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = index(serverOrder, left[i], mergeKey, kind);
    const ri = index(serverOrder, right[j], mergeKey, kind);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}

/** The patch list's items (deletions aside) must appear in the $setElementOrder list, in the same order. */
export function validatePatchWithSetOrderList(patchList: unknown[], setOrderList: unknown[], mergeKey: string): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < setOrderList.length) {
    if (isMap(nonDelete[p]) && has(nonDelete[p] as Obj, "$patch")) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], setOrderList[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= setOrderList.length) {
    throw new SmpError(`The order in patch list:\n${goV(patchList)}\n doesn't match $setElementOrder list:\n${goV(setOrderList)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return goEq(left, right);
  if (!isMap(left)) throw ErrBadArgType(MAP, left);
  if (!isMap(right)) throw ErrBadArgType(MAP, right);
  if (!has(left, mergeKey)) throw ErrNoMergeKey(left, mergeKey);
  if (!has(right, mergeKey)) throw ErrNoMergeKey(right, mergeKey);
  return goEq(left[mergeKey], right[mergeKey]);
}

/** Go's in-place de-duplication, which moves the last element into each duplicate's place (in `s`'s array). */
export function deduplicateScalars(s: GoSlice): GoSlice {
  const buf = s.buf;
  let length = s.len - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEq(buf[i], buf[j])) {
        buf[j] = buf[length];
        length--;
        j--;
      }
    }
  }
  return s.withLen(Math.max(length + 1, 0));
}

/** $deleteFromPrimitiveList: every occurrence of every listed value goes. */
export function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const doomed = new Set(toDelete);
  return current.filter((v) => !doomed.has(v));
}
