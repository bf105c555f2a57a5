/**
 * JSON merge patch (RFC 7396, `application/merge-patch+json`) as the API server applies it: the body is first
 * decoded strictly into a map (the default and Strict field validation paths of apiserver handlers/patch.go), then
 * merged by gopkg.in/evanphx/json-patch.v4 MergePatch. That library follows the RFC with one quirk kept here: when
 * it copies a patch value into place it prunes nulls out of it, dropping null array elements as well.
 * Lists are always replaced whole, so a tap sent this way replaces every container.
 */

import { jsonKindWord } from "./go-format.ts";
import { badRequest } from "./status-error.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Returns the merged document; neither argument is modified. Throws a 400 KubeStatusError for a bad body. */
export function jsonMergePatch(original: unknown, patch: unknown): unknown {
  if (patch === null) throw badRequest("Invalid JSON Patch"); // MergePatch's errBadJSONPatch for a `null` body
  if (!isObject(patch)) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type map[string]interface {}`);
  }
  const p = structuredClone(patch) as Record<string, Json>;
  // A document that is not an object becomes the patch itself, nulls pruned (MergePatch's "not a doc" branch).
  if (!isObject(original)) return pruneObjectNulls(p);
  const doc = structuredClone(original) as Record<string, Json>;
  mergeDocs(doc, p);
  return doc;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function mergeDocs(doc: Record<string, Json>, patch: Record<string, Json>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
    } else if (!Object.prototype.hasOwnProperty.call(doc, k) || doc[k] === null) {
      doc[k] = pruneNulls(v);
    } else {
      doc[k] = merge(doc[k]!, v);
    }
  }
}

/** Objects merge key by key; anything else is replaced, pruned only when what it replaces is not an object. */
function merge(cur: Json, patch: Json): Json {
  if (!isObject(cur)) return pruneNulls(patch);
  if (!isObject(patch)) return patch;
  mergeDocs(cur as Record<string, Json>, patch as Record<string, Json>);
  return cur;
}

function pruneNulls(v: Json): Json {
  if (Array.isArray(v)) return v.filter((e) => e !== null).map(pruneNulls);
  if (isObject(v)) return pruneObjectNulls(v as Record<string, Json>);
  return v;
}

function pruneObjectNulls(o: Record<string, Json>): Record<string, Json> {
  for (const [k, v] of Object.entries(o)) {
    if (v === null) delete o[k];
    else o[k] = pruneNulls(v);
  }
  return o;
}
