/**
 * Whether the sidecar read back from the cluster is still the one tap added. The API server fills in defaults
 * (`terminationMessagePath`, the probe's `timeoutSeconds`, a fieldRef's `apiVersion`, `imagePullPolicy`…) and
 * stores quantities in canonical form (`1.5Gi` → `1536Mi`), so "unchanged" means: every field tap set is still
 * there with the same value (quantities compared as amounts); fields tap did not set are not judged.
 */

import { sameQuantity } from "./quantity.ts";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The first path where `actual` departs from `expected` (`env[0].value`), or null when it does not. */
export function subsetMismatch(expected: unknown, actual: unknown, path = "", inResources = false): string | null {
  if (isObj(expected)) {
    if (!isObj(actual)) return path || ".";
    for (const [k, v] of Object.entries(expected)) {
      const at = path ? `${path}.${k}` : k;
      const m = subsetMismatch(v, actual[k], at, inResources || k === "resources");
      if (m !== null) return m;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return path;
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(expected[i], actual[i], `${path}[${i}]`, inResources);
      if (m !== null) return m;
    }
    return null;
  }
  if (inResources && typeof expected === "string" && typeof actual === "string") return sameQuantity(expected, actual) ? null : path;
  return expected === actual ? null : path;
}
