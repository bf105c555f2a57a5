/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) as the API server applies it:
 * StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls (apiserver handlers/patch.go), i.e. the
 * apply half of apimachinery pkg/util/strategicpatch/patch.go as of Kubernetes 1.28+ (directives are removed from
 * values copied into fields the object did not have, nulls in them discarded; $deleteFromPrimitiveList deletes
 * from any list and never creates one). Transcribed function by function:
 *
 * - maps merge key by key; `null` deletes a key; `$patch: replace` takes the patch map as is, `$patch: delete`
 *   empties it (any other `$patch` value in a map is an error);
 * - lists tagged `patchStrategy:"merge"` merge by their `patchMergeKey` (primitive lists as a set); an element
 *   `{<key>: v, $patch: delete}` deletes every element with that key, `{$patch: replace}` makes the list the
 *   patch's other elements, `$patch: merge` is an error; untagged lists are replaced whole;
 * - order: elements named by `$setElementOrder/<list>` come in that order, other patch elements in patch order,
 *   elements only in the live list are slotted in by the live order (smp-order.ts) — so an element the live list
 *   does not have, sent without `$setElementOrder`, lands before the live-only elements, not after them; the live
 *   order is read back from Go's backing array after in-place deletes and appends (go-slice.ts), as Go does;
 * - `$deleteFromPrimitiveList/<list>` removes values; `$retainKeys` clears the keys it does not name.
 *
 * Decisions: the patch metadata comes from smp-schema.ts (the kinds' real tags; fields without one behave as
 * untagged fields do). A kind without a schema is answered like a custom resource, which the real server does not
 * take strategic merge patches for: 415. After merging, keys starting with "$" that were copied in with new
 * values are dropped, as decoding the result into the typed object drops unknown fields. When a patch names both
 * `<list>` and `$deleteFromPrimitiveList/<list>` without a `$setElementOrder`, Go applies them in random map order;
 * here they apply in the patch's key order.
 */

import { goType, jsonKindWord } from "./go-format.ts";
import { decodedSlice, goAppend, type GoSlice } from "./go-slice.ts";
import { OPEN, schemasByKind, type FieldMeta, type Schema } from "./smp-schema.ts";
import {
  deduplicateScalars,
  deleteFromSlice,
  ErrBadArgType,
  ErrBadJSONDoc,
  ErrBadPatchFormatForPrimitiveList,
  ErrBadPatchFormatForRetainKeys,
  ErrBadPatchFormatForSetElementOrderList,
  ErrBadPatchType,
  ErrNoMergeKey,
  findMapInSlice,
  has,
  isMap,
  normalizeElementOrder,
  partitionMaps,
  partitionPrimitives,
  SLICE,
  sliceElementType,
  SmpError,
  validatePatchWithSetOrderList,
  type Obj,
} from "./smp-order.ts";
import { badRequest, genericUnprocessable, KubeStatusError, plainServerError, unsupportedMediaType } from "./status-error.ts";

export { schemasByKind } from "./smp-schema.ts";
export type { Schema } from "./smp-schema.ts";

const DELETE_FROM = "$deleteFromPrimitiveList";
const SET_ORDER = "$setElementOrder";
const RETAIN_KEYS = "$retainKeys";

/** The patch types the API server takes for custom resources, which have no strategic merge metadata. */
const NON_STRATEGIC_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

/**
 * Applies a strategic merge patch to an object of `kind` ("Deployment"). Neither argument is modified. Throws a
 * KubeStatusError: 400 for a body that is not an object or a malformed directive, 422 for lists of lists, 500 (an
 * empty reason, as the real server answers non-Status errors) for the rest, 415 for a kind without a schema.
 */
export function strategicMergePatch(original: unknown, patch: unknown, kind: string): unknown {
  const schema = Object.prototype.hasOwnProperty.call(schemasByKind, kind) ? schemasByKind[kind] : undefined;
  if (!schema) throw unsupportedMediaType(NON_STRATEGIC_TYPES);
  return strategicMergePatchWithSchema(original, patch, schema);
}

/** The same with an explicit schema: the entry point for other types (and for the apimachinery test tables). */
export function strategicMergePatchWithSchema(original: unknown, patch: unknown, schema: Schema): unknown {
  // The body is decoded into a map (400 otherwise); `null` decodes to an empty one.
  if (patch !== null && !isMap(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type map[string]interface {}`);
  }
  try {
    if (!isMap(original)) throw ErrBadJSONDoc();
    const merged = mergeMap(structuredClone(original), structuredClone(patch ?? {}), schema);
    return dropDirectiveKeys(merged);
  } catch (e) {
    if (!(e instanceof SmpError)) throw e;
    throw toStatusError(e);
  }
}

function toStatusError(e: SmpError): KubeStatusError {
  switch (e.status) {
    case "badRequest":
      return badRequest(e.message);
    case "unprocessable":
      return genericUnprocessable(e.message);
    default:
      return plainServerError(e.message);
  }
}

// ---- metadata lookups (PatchMetaFromStruct) ----

interface Lookup {
  schema: Schema;
  /** The strategy without retainKeys, as extractRetainKeysPatchStrategy returns it. */
  strategy: string;
  mergeKey: string;
}

function lookup(schema: Schema, key: string): Lookup {
  if (schema.type === "map") return { schema: schema.elem ?? OPEN, strategy: "", mergeKey: "" };
  const field: FieldMeta | undefined = schema.fields && has(schema.fields, key) ? schema.fields[key] : undefined;
  if (!field) {
    if (schema.closed) throw new SmpError(`unable to find api field in struct ${schema.name} for the json field "${key}"`);
    return { schema: OPEN, strategy: "", mergeKey: "" };
  }
  return { schema: field.schema ?? OPEN, strategy: extractRetainKeysPatchStrategy(field.strategy), mergeKey: field.patchMergeKey ?? "" };
}

function extractRetainKeysPatchStrategy(tag: string | undefined): string {
  const strategies = tag ? tag.split(",") : [];
  if (strategies.length === 0) return "";
  if (strategies.length === 1) return strategies[0] === "retainKeys" ? "" : strategies[0]!;
  if (strategies.length === 2 && strategies[0] === "retainKeys") return strategies[1]!;
  if (strategies.length === 2 && strategies[1] === "retainKeys") return strategies[0]!;
  throw new SmpError(`unexpected patch strategy: [${strategies.join(" ")}]`);
}

// ---- maps ----

function mergeMap(original: Obj | null, patch: Obj, schema: Schema): Obj {
  if (has(patch, "$patch")) return handleDirectiveInMergeMap(patch.$patch, patch);
  const doc: Obj = original ?? {};
  applyRetainKeysDirective(doc, patch);
  mergePatchIntoOriginal(doc, patch, schema);

  for (const [rawKey, patchV] of Object.entries(patch)) {
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM)) {
      k = extractKey(rawKey, DELETE_FROM);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete doc[k];
      continue; // IgnoreUnmatchedNulls
    }
    if (!has(doc, k) || goType(doc[k]) !== goType(patchV)) {
      // Absent, or of another type: take the patch value (never for a deletion list), minus nulls and directives.
      if (!isDeleteList) {
        discardNullValuesFromPatch(patchV);
        const [value, keep] = removeDirectives(patchV);
        if (keep) doc[k] = value;
        else delete doc[k];
      }
      continue;
    }
    const current = doc[k];
    if (isMap(current)) {
      const meta = lookup(schema, k);
      doc[k] = meta.strategy === "replace" ? patchV : mergeMap(current, patchV as Obj, meta.schema);
    } else if (Array.isArray(current)) {
      const meta = lookup(schema, k);
      doc[k] = mergeSliceHandler(decodedSlice(current), patchV as unknown[], meta, isDeleteList);
    } else {
      doc[k] = patchV;
    }
  }
  return doc;
}

function handleDirectiveInMergeMap(directive: unknown, patch: Obj): Obj {
  if (directive === "replace") {
    delete patch.$patch;
    return patch;
  }
  if (directive === "delete") return {};
  throw ErrBadPatchType(directive, patch);
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf("/");
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM ? ErrBadPatchFormatForPrimitiveList() : ErrBadPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

/** $retainKeys: every key of the patch (nulls and parallel lists aside) must be listed; unlisted keys are cleared. */
function applyRetainKeysDirective(original: Obj, patch: Obj): void {
  if (!has(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw ErrBadPatchFormatForRetainKeys();
  const retained = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM) || k.startsWith(SET_ORDER)) continue;
    if (!retained.has(k)) throw ErrBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

/** Each `$setElementOrder/<list>` is applied with its list before the other keys (and both leave the patch). */
function mergePatchIntoOriginal(original: Obj, patch: Obj, schema: Schema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const setOrder = patch[key];
    delete patch[key];
    if (!Array.isArray(setOrder)) throw ErrBadArgType(SLICE, setOrder);
    const listKey = extractKey(key, SET_ORDER);
    const foundOriginal = has(original, listKey);
    const foundPatch = has(patch, listKey);
    const originalList = foundOriginal ? original[listKey] : [];
    const patchList = foundPatch ? patch[listKey] : [];
    if (!Array.isArray(originalList)) throw ErrBadArgType(SLICE, originalList);
    if (!Array.isArray(patchList)) throw ErrBadArgType(SLICE, patchList);
    const meta = lookup(schema, listKey);
    validatePatchWithSetOrderList(patchList, setOrder, meta.mergeKey);

    // The live list as Go holds it: merging may rewrite its backing array, and it is read again below.
    const live = decodedSlice(originalList);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = live.items();
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList)[0] as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(live, patchList, meta, false);
    else continue;

    const [patchItems, serverOnly] = meta.mergeKey ? partitionMaps(merged, setOrder, meta.mergeKey) : partitionPrimitives(merged, setOrder);
    const kind = sliceElementType(live.items(), patchList);
    original[listKey] = normalizeElementOrder(patchItems, serverOnly, setOrder, live.items(), meta.mergeKey, kind);
    delete patch[listKey];
  }
}

/** Drops maps carrying `$patch` (and list elements that are such maps) from a value taken as it is. */
function removeDirectives(value: unknown): [unknown, boolean] {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const [nv, keep] = removeDirectives(v);
      if (keep) out.push(nv);
    }
    return [out, true];
  }
  if (!isMap(value)) return [value, true];
  if (has(value, "$patch")) return [null, false];
  for (const [k, v] of Object.entries(value)) {
    const [nv, keep] = removeDirectives(v);
    if (keep) value[k] = nv;
    else delete value[k];
  }
  return [value, true];
}

/** Null members are discarded from values taken as they are, at any depth (null list elements stay). */
function discardNullValuesFromPatch(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) discardNullValuesFromPatch(v);
  } else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else discardNullValuesFromPatch(v);
    }
  }
}

// ---- lists ----
// The live list travels as a GoSlice: Go mutates its backing array in place (see go-slice.ts), and the callers read
// that array again afterwards as the live order.

function mergeSliceHandler(original: GoSlice, patch: unknown[], meta: Lookup, isDeleteList: boolean): unknown[] {
  // Deletion lists delete whatever the field's strategy; other untagged lists are replaced by the patch as is.
  if (meta.strategy === "merge" || isDeleteList) return mergeSlice(original, patch, meta.schema, meta.mergeKey, isDeleteList);
  return patch;
}

function mergeSlice(original: GoSlice, patch: unknown[], schema: Schema, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.len === 0 && patch.length === 0) return original.items();
  const kind = sliceElementType(original.items(), patch);
  let merged: unknown[];
  let live = original;
  let items = patch;
  if (kind !== "map") {
    if (isDeleteList) return deleteFromSlice(original.items(), patch);
    // `append(original, patch...)` may share the live list's array, which the de-duplication then rewrites.
    merged = deduplicateScalars(goAppend(original, ...patch)).items();
  } else {
    if (!mergeKey) throw new SmpError(`cannot merge lists without merge key for ${schema.type === "map" ? "map" : "struct"}`);
    [live, items] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(live, items, mergeKey, schema).items();
  }
  const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, items, mergeKey) : partitionPrimitives(merged, items);
  return normalizeElementOrder(patchItems, serverOnly, items, live.items(), mergeKey, kind);
}

/** Handles the `$patch` elements: deletions by key, `replace` (the list becomes the other elements), errors. */
function mergeSliceWithSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string): [GoSlice, unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  let live = original;
  for (const v of patch) {
    const element = v as Obj;
    if (!has(element, "$patch")) {
      plain.push(v);
      continue;
    }
    switch (element.$patch) {
      case "delete":
        if (!has(element, mergeKey)) throw ErrNoMergeKey(element, mergeKey);
        live = deleteMatchingEntries(live, mergeKey, element[mergeKey]);
        break;
      case "replace":
        replace = true; // keep going: the other $patch elements are dropped too
        break;
      case "merge":
        throw new SmpError("merging lists cannot yet be specified in the patch");
      default:
        throw ErrBadPatchType(element.$patch, element);
    }
  }
  return replace ? [decodedSlice(plain), []] : [live, plain];
}

/** `original = append(original[:k], original[k+1:]...)` for every match: shifts the backing array left. */
function deleteMatchingEntries(s: GoSlice, mergeKey: string, value: unknown): GoSlice {
  for (let found = findMapInSlice(s.items(), mergeKey, value); found; found = findMapInSlice(s.items(), mergeKey, value)) {
    for (let i = found[1]; i < s.len - 1; i++) s.buf[i] = s.buf[i + 1];
    s = s.withLen(s.len - 1);
  }
  return s;
}

/** Each patch element merges into the live element with its key, or is appended as it is. */
function mergeSliceWithoutSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string, schema: Schema): GoSlice {
  let s = original;
  for (const v of patch) {
    const element = v as Obj;
    if (!has(element, mergeKey)) throw ErrNoMergeKey(element, mergeKey);
    const found = findMapInSlice(s.items(), mergeKey, element[mergeKey]);
    if (found) s.buf[found[1]] = mergeMap(found[0], element, schema);
    else s = goAppend(s, v);
  }
  return s;
}

/** Decoding into the typed object drops unknown fields: no built-in type has a field whose name starts with "$". */
function dropDirectiveKeys(value: unknown): Obj {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isMap(v)) {
      for (const k of Object.keys(v)) {
        if (k.startsWith("$")) delete v[k];
        else walk(v[k]);
      }
    }
  };
  walk(value);
  return value as Obj;
}

