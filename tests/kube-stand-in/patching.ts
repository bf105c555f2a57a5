/**
 * PATCH bodies by content type, as the API server's patch handler dispatches them (handlers/patch.go): JSON patch,
 * JSON merge patch, strategic merge patch (the merge rules live in patch/), server-side apply (apply.ts); any
 * other type is 415 naming the accepted ones. The patched object then goes through the store's update like a PUT,
 * so a `metadata.resourceVersion` in the patch is a precondition (409 when stale) and a patch that changes nothing
 * is a no-op.
 */

import { applyJsonPatch } from "./patch/json-patch.ts";
import { jsonMergePatch } from "./patch/json-merge.ts";
import { strategicMergePatch } from "./patch/strategic-merge.ts";
import { badRequest, unsupportedMediaType } from "./status-errors.ts";

export type PatchType = "json" | "merge" | "strategic" | "apply";

const TYPES: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
  // Accepted by servers since 1.30 for apply requests sent as CBOR/JSON.
  "application/apply-patch+json": "apply",
};

/** The patch type named by a Content-Type header (parameters such as charset ignored); throws 415 for others. */
export function patchType(contentType: string | null): PatchType {
  const base = (contentType ?? "").split(";")[0].trim().toLowerCase();
  const t = TYPES[base];
  if (!t) throw unsupportedMediaType(base);
  return t;
}

/** Parses a patch body: JSON for the three patch types, YAML (a superset of JSON) for apply. */
export function parsePatchBody(type: PatchType, body: string): unknown {
  const text = body.trim() === "" ? (type === "json" ? "[]" : "{}") : body;
  try {
    if (type === "apply") return Bun.YAML.parse(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

/** The object after applying a JSON, merge or strategic patch to `original`. */
export function applyPatch(type: Exclude<PatchType, "apply">, original: unknown, patch: unknown, kind: string): unknown {
  switch (type) {
    case "json":
      // A body that is not an array of operations is patch/json-patch.ts's 400 to give.
      return applyJsonPatch(original, patch as any);
    case "merge":
      return jsonMergePatch(original, patch);
    case "strategic":
      return strategicMergePatch(original, patch, kind);
  }
}
