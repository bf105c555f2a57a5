/**
 * OTLP log records → capture entries, mapped the way Loki's native OTLP endpoint maps them
 * (protocols-and-peers.md §1 "OTLP"; grafana/loki pkg/loghttp/push/otlp.go and otlp_config.go, default config):
 *
 * - labels: the default index resource attributes, names normalised (`k8s.pod.name` → `k8s_pod_name`), plus
 *   `service_name`, discovered from other index labels or `unknown_service` when the resource has no `service.name`;
 * - line: the body as text (any-value.ts);
 * - structured metadata (`meta`): the record's attributes, then `observed_timestamp`, `severity_number`,
 *   `severity_text`, `dropped_attributes_count`, `flags`, `trace_id`, `span_id` (hex), `event_name`, then the other
 *   resource attributes, then scope attributes, `scope_name`, `scope_version`, `scope_dropped_attributes_count`.
 *   Map-valued attributes are flattened (`http.request` {method} → `http_request_method`). Where two of these give
 *   the same name, the first in that order wins;
 * - timestamp: `time_unix_nano`, else `observed_time_unix_nano`, else the receive time.
 *
 * Both decoders (protobuf and OTLP/JSON) produce the structural shapes below, so this mapping is written once.
 */

import type { Entry, Labels } from "../../model/entry.ts";
import { nowInstant } from "../../capture/timestamp.ts";
import { internSortedPairs, setOwn, sortPairs } from "../labels-interner.ts";
import { anyValueToString, type AnyValueLike, type KeyValueLike } from "./any-value.ts";
import { labelName } from "./label-name.ts";

export interface LogRecordLike {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** `$unknown`: protobuf fields this schema doesn't know — in a body, a value kind newer than this receiver. */
  body?: (AnyValueLike & { $unknown?: unknown[] }) | undefined;
  attributes: KeyValueLike[];
  droppedAttributesCount: number;
  flags: number;
  /** Bytes from protobuf; from OTLP/JSON already-checked lowercase hex. Empty = unset. */
  traceId: Uint8Array | string;
  spanId: Uint8Array | string;
  eventName: string;
  /** Why the record can't be taken, when the decoder already knows (OTLP/JSON: a field of the wrong type). */
  invalid?: string;
}

export interface InstrumentationScopeLike {
  name: string;
  version: string;
  attributes: KeyValueLike[];
  droppedAttributesCount: number;
}

export interface ScopeLogsLike {
  scope?: InstrumentationScopeLike | undefined;
  logRecords: LogRecordLike[];
}

export interface ResourceLogsLike {
  resource?: { attributes: KeyValueLike[] } | undefined;
  scopeLogs: ScopeLogsLike[];
}

export interface DecodedLogs {
  entries: Entry[];
  /** Records not turned into entries; answered as `partial_success.rejected_log_records`. */
  rejected: number;
  /** Why, for `partial_success.error_message` ("" when nothing was rejected). */
  errorMessage: string;
}

/**
 * Loki's default `index_label` resource attributes (otlp_config.go `blessedAttributes`; documented in
 * docs/sources/get-started/labels/_index.md §Default labels for OpenTelemetry). The docs name
 * `deployment.environment.name`, older releases `deployment.environment`; both are indexed here.
 */
export const INDEX_RESOURCE_ATTRIBUTES: ReadonlySet<string> = new Set([
  "service.name",
  "service.namespace",
  "service.instance.id",
  "deployment.environment",
  "deployment.environment.name",
  "cloud.region",
  "cloud.availability_zone",
  "k8s.cluster.name",
  "k8s.namespace.name",
  "k8s.pod.name",
  "k8s.container.name",
  "container.name",
  "k8s.replicaset.name",
  "k8s.deployment.name",
  "k8s.statefulset.name",
  "k8s.daemonset.name",
  "k8s.cronjob.name",
  "k8s.job.name",
]);

/**
 * Loki's default `discover_service_name` (pkg/validation/limits.go): without `service.name`, the first index label
 * (in attribute order) with one of these names becomes `service_name`. Of the index labels above only
 * `container_name`, `k8s_container_name` and `k8s_job_name` can match.
 */
const DISCOVER_SERVICE_NAME: ReadonlySet<string> = new Set([
  "service",
  "app",
  "application",
  "name",
  "app_kubernetes_io_name",
  "container",
  "container_name",
  "k8s_container_name",
  "component",
  "workload",
  "job",
  "k8s_job_name",
]);

export const SERVICE_NAME_LABEL = "service_name";
export const UNKNOWN_SERVICE = "unknown_service";

const NS_PER_SECOND = 1_000_000_000n;

export function logsToEntries(resourceLogs: readonly ResourceLogsLike[]): DecodedLogs {
  const entries: Entry[] = [];
  let rejected = 0;
  let errorMessage = "";
  let now: { sec: number; nsec: number } | undefined;
  for (let r = 0; r < resourceLogs.length; r++) {
    const rl = resourceLogs[r]!;
    const resourceMeta: string[] = [];
    const labels = resourceLabels(rl.resource?.attributes ?? [], resourceMeta);
    const scopeLogs = rl.scopeLogs;
    for (let s = 0; s < scopeLogs.length; s++) {
      const sl = scopeLogs[s]!;
      const shared = sharedMeta(resourceMeta, sl.scope);
      const records = sl.logRecords;
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        const problem = record.invalid ?? recordProblem(record);
        if (problem !== undefined) {
          if (rejected === 0) errorMessage = `resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}]: ${problem}`;
          rejected++;
          continue;
        }
        let ts = record.timeUnixNano;
        if (ts === 0n) ts = record.observedTimeUnixNano;
        let sec: number;
        let nsec: number;
        if (ts === 0n) {
          now ??= nowInstant();
          sec = now.sec;
          nsec = now.nsec;
        } else {
          sec = Number(ts / NS_PER_SECOND);
          nsec = Number(ts % NS_PER_SECOND);
        }
        const msg = anyValueToString(record.body);
        const meta = recordMeta(record, shared);
        entries.push(meta === undefined ? { sec, nsec, labels, msg } : { sec, nsec, labels, msg, meta });
      }
    }
  }
  if (rejected > 1) errorMessage = `${rejected} log records rejected; first: ${errorMessage}`;
  return { entries, rejected, errorMessage };
}

/** Appends an attribute as name/value pairs; a map value becomes one pair per leaf, names joined with `_`. */
function pushAttribute(out: string[], key: string, value: AnyValueLike | undefined, prefix: string): void {
  const name = labelName(prefix === "" ? key : prefix + "_" + key);
  if (value !== undefined && value.value.case === "kvlistValue") {
    const values = value.value.value.values;
    for (let i = 0; i < values.length; i++) pushAttribute(out, values[i]!.key, values[i]!.value, name);
    return;
  }
  if (name !== "") out.push(name, anyValueToString(value));
}

function pushAttributes(out: string[], attributes: readonly KeyValueLike[]): void {
  for (let i = 0; i < attributes.length; i++) pushAttribute(out, attributes[i]!.key, attributes[i]!.value, "");
}

/** The stream labels of one resource (shared by all its entries); its other attributes go to `meta`. */
function resourceLabels(attributes: readonly KeyValueLike[], meta: string[]): Labels {
  const index: string[] = [];
  for (let i = 0; i < attributes.length; i++) {
    const kv = attributes[i]!;
    pushAttribute(INDEX_RESOURCE_ATTRIBUTES.has(kv.key) ? index : meta, kv.key, kv.value, "");
  }
  // A label set is a map: a repeated name keeps its last value, as Loki's model.LabelSet does.
  const byName = new Map<string, string>();
  let discovered: string | undefined;
  for (let i = 0; i < index.length; i += 2) {
    const name = index[i]!;
    const value = index[i + 1]!;
    byName.set(name, value);
    if (discovered === undefined && value !== "" && DISCOVER_SERVICE_NAME.has(name)) discovered = value;
  }
  if (!byName.get(SERVICE_NAME_LABEL)) byName.set(SERVICE_NAME_LABEL, discovered ?? UNKNOWN_SERVICE);
  const pairs: string[] = [];
  // Empty values are dropped, as Loki's label parsing drops them.
  for (const [name, value] of byName) if (value !== "") pairs.push(name, value);
  sortPairs(pairs);
  return internSortedPairs(pairs);
}

/** The resource and scope part of every record's `meta` in one scope: sorted by name, first of a name kept. */
function sharedMeta(resourceMeta: readonly string[], scope: InstrumentationScopeLike | undefined): string[] {
  const pairs = resourceMeta.slice();
  if (scope !== undefined) {
    pushAttributes(pairs, scope.attributes);
    if (scope.name !== "") pairs.push("scope_name", scope.name);
    if (scope.version !== "") pairs.push("scope_version", scope.version);
    if (scope.droppedAttributesCount !== 0) pairs.push("scope_dropped_attributes_count", String(scope.droppedAttributesCount));
  }
  sortPairs(pairs);
  return dedupeSorted(pairs);
}

/** Drops every pair whose name equals the previous one; on stably sorted pairs that keeps the first given. */
function dedupeSorted(pairs: string[]): string[] {
  let w = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    if (w > 0 && pairs[w - 2] === pairs[i]) continue;
    pairs[w] = pairs[i]!;
    pairs[w + 1] = pairs[i + 1]!;
    w += 2;
  }
  pairs.length = w;
  return pairs;
}

function recordProblem(record: LogRecordLike): string | undefined {
  const body = record.body;
  if (body !== undefined && body.value.case === undefined && body.$unknown !== undefined && body.$unknown.length > 0) {
    return "unsupported body type (an AnyValue kind this receiver does not know)";
  }
  const t = record.traceId;
  if (t.length !== 0 && t.length !== (typeof t === "string" ? 32 : 16)) return `trace_id must be 16 bytes, got ${idSize(t)}`;
  const s = record.spanId;
  if (s.length !== 0 && s.length !== (typeof s === "string" ? 16 : 8)) return `span_id must be 8 bytes, got ${idSize(s)}`;
  return undefined;
}

function idSize(id: Uint8Array | string): string {
  return typeof id === "string" ? `${id.length} hex digits` : `${id.length} bytes`;
}

function recordMeta(record: LogRecordLike, shared: readonly string[]): Record<string, string> | undefined {
  const own: string[] = [];
  pushAttributes(own, record.attributes);
  // With no time_unix_nano the observed time already is the entry's timestamp (Loki doesn't repeat it then).
  if (record.timeUnixNano !== 0n && record.observedTimeUnixNano !== 0n) {
    own.push("observed_timestamp", record.observedTimeUnixNano.toString());
  }
  if (record.severityNumber !== 0) own.push("severity_number", String(record.severityNumber));
  if (record.severityText !== "") own.push("severity_text", record.severityText);
  if (record.droppedAttributesCount !== 0) own.push("dropped_attributes_count", String(record.droppedAttributesCount));
  if (record.flags !== 0) own.push("flags", String(record.flags));
  const traceId = hexId(record.traceId);
  if (traceId !== "") own.push("trace_id", traceId);
  const spanId = hexId(record.spanId);
  if (spanId !== "") own.push("span_id", spanId);
  if (record.eventName !== "") own.push("event_name", record.eventName);
  if (own.length === 0 && shared.length === 0) return undefined;
  sortPairs(own);
  // Merge the two sorted lists; on a tie the record's own pair wins, and within each list the first of a name.
  const meta: Record<string, string> = {};
  let i = 0;
  let j = 0;
  let last: string | undefined;
  while (i < own.length || j < shared.length) {
    let name: string;
    let value: string;
    if (j >= shared.length || (i < own.length && own[i]! <= shared[j]!)) {
      name = own[i]!;
      value = own[i + 1]!;
      i += 2;
    } else {
      name = shared[j]!;
      value = shared[j + 1]!;
      j += 2;
    }
    if (name === last) continue;
    last = name;
    setOwn(meta, name, value);
  }
  return meta;
}

/** Lowercase hex of a trace or span id; "" when unset or all zeroes (an invalid id, as pdata's IsEmpty treats it). */
function hexId(id: Uint8Array | string): string {
  if (typeof id === "string") return ZEROES.test(id) ? "" : id;
  let i = 0;
  while (i < id.length && id[i] === 0) i++;
  if (i === id.length) return "";
  // Records of one request or span come together and repeat their ids: remember the last one of each length.
  const last = id.length === 16 ? lastTrace : lastSpan;
  if (sameBytes(last.bytes, id)) return last.hex;
  last.bytes = id.slice(); // a copy: `id` views the whole request body, which must not stay alive for this
  last.hex = Buffer.from(id.buffer, id.byteOffset, id.length).toString("hex");
  return last.hex;
}

const ZEROES = /^0*$/;
const lastTrace = { bytes: new Uint8Array(0), hex: "" };
const lastSpan = { bytes: new Uint8Array(0), hex: "" };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
