/**
 * OTLP attribute keys → Loki label / structured-metadata names, as Loki's OTLP ingestion names them
 * (grafana/loki pkg/loghttp/push/otlp.go `attributeToLabels` → Prometheus `NormalizeLabel`):
 * every character outside `[A-Za-z0-9_]` becomes `_` (so `k8s.pod.name` → `k8s_pod_name`), a leading digit gets a
 * `key_` prefix and a leading single `_` a `key` prefix.
 */

const INVALID = /[^a-zA-Z0-9_]/gu;
const VALID = /^[a-zA-Z0-9_]*$/;

/** Beyond this many distinct keys the cache is dropped: keys that never repeat are not worth remembering. */
const MAX_CACHED = 10_000;
const cache = new Map<string, string>();

function normalize(key: string): string {
  if (key === "") return "";
  let name = VALID.test(key) ? key : key.replace(INVALID, "_");
  const first = name.charCodeAt(0);
  if (first >= 48 && first <= 57) name = "key_" + name;
  else if (first === 95 && name.charCodeAt(1) !== 95) name = "key" + name;
  return name;
}

/** The label name for an attribute key. Attribute keys repeat on every record, so results are cached. */
export function labelName(key: string): string {
  let name = cache.get(key);
  if (name === undefined) {
    name = normalize(key);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, name);
  }
  return name;
}
