/**
 * Server-side apply, reduced: `kubectl apply --server-side` works, but field ownership is not tracked. An apply
 * without `fieldManager` is the real 422; an apply to a missing object creates it; otherwise the applied
 * configuration is merged into the live object with the strategic-merge rules. What this leaves out: managedFields,
 * conflicts with other managers (every apply behaves as with --force-conflicts), and removing fields a manager
 * applied before and has now dropped (they stay). See docs/testing.md.
 */

import type { KubeObject } from "./contract.ts";
import { strategicMergePatch } from "./patch/strategic-merge.ts";
import { ApiStatusError, badRequest } from "./status-errors.ts";

export function requireFieldManager(params: URLSearchParams): string {
  const m = params.get("fieldManager");
  if (!m) {
    throw new ApiStatusError(422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      group: "meta.k8s.io",
      kind: "PatchOptions",
      causes: [{ reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" }],
    });
  }
  return m;
}

/** The object an apply produces from the live one (undefined: create). */
export function applyConfiguration(live: KubeObject | undefined, applied: unknown, kind: string): KubeObject {
  if (!applied || typeof applied !== "object" || Array.isArray(applied)) throw badRequest("error decoding YAML: the apply configuration must be an object");
  if (!live) return structuredClone(applied) as KubeObject;
  return strategicMergePatch(live, applied, kind) as KubeObject;
}
