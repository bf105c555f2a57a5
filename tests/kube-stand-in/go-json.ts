/**
 * What a round trip through Go's encoding/json does to an object the server stores: `omitempty` maps and slices
 * that are empty vanish, `null` becomes the zero value (omitted), while structs stay, even empty (`resources: {}`,
 * `securityContext: {}`, `emptyDir: {}`). A real server therefore never stores `annotations: {}` or `env: []`;
 * an object whose last annotation was removed ends up byte-identical to one that never had any, which is what makes
 * a pod template return to its original hash after an exact undo. Without schemas the rule is keyed by field names:
 * the slices below are the few without omitempty; the maps are the map-typed fields of the served kinds.
 */

const KEEP_EMPTY_SLICES = new Set(["containers", "rules", "verbs", "items"]);
const MAP_FIELDS = new Set(["labels", "annotations", "nodeSelector", "data", "binaryData", "stringData", "matchLabels", "limits", "requests", "overhead", "capacity", "allocatable"]);

function isEmptyObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

function normalize(v: any, isServiceSpec: boolean): void {
  if (Array.isArray(v)) {
    for (const x of v) normalize(x, false);
    return;
  }
  if (typeof v !== "object" || v === null) return;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === null) {
      // metav1.Time's zero value marshals as null (creationTimestamp: null in templates).
      if (k !== "creationTimestamp") delete v[k];
      continue;
    }
    if (Array.isArray(x) && x.length === 0 && !KEEP_EMPTY_SLICES.has(k)) {
      delete v[k];
      continue;
    }
    if (isEmptyObject(x) && (MAP_FIELDS.has(k) || (isServiceSpec && k === "selector"))) {
      delete v[k];
      continue;
    }
    normalize(x, false);
  }
}

/** Normalizes a stored object in place, as encoding and decoding it in Go would. */
export function goJsonNormalize(kind: string, obj: any): void {
  normalize(obj, false);
  if (kind === "Service" && obj?.spec && isEmptyObject(obj.spec.selector)) delete obj.spec.selector;
}
