/**
 * OTLP/HTTP JSON body (`Content-Type: application/json`): an `ExportLogsServiceRequest` in OTLP's JSON encoding,
 * which differs from plain proto3 JSON (opentelemetry-proto docs/specification.md §JSON Protobuf Encoding):
 * `traceId`/`spanId` are hex, not base64; enums are integers (names are accepted too); 64-bit integers may be
 * strings or numbers; keys are lowerCamelCase (the collector also accepts the proto's snake_case names, so do we);
 * unknown fields are ignored. A dedicated mapper rather than protobuf-es `fromJson`, which would read the ids as base64.
 *
 * Errors: anything that breaks the request's structure above a log record (not JSON, a list that isn't an array, a
 * malformed resource or scope) rejects the whole request (400). A log record whose own fields are malformed is marked
 * and rejected alone, reported as a partial success.
 */

import { PushDecodeError, jsonSyntaxDetail, quoteForError } from "../push-decode-error.ts";
import { isPlainObject } from "../string-record.ts";
import type { AnyValueLike, KeyValueLike } from "./any-value.ts";
import {
  logsToEntries,
  type DecodedLogs,
  type InstrumentationScopeLike,
  type LogRecordLike,
  type ResourceLogsLike,
  type ScopeLogsLike,
} from "./logs-to-entries.ts";

const utf8 = new TextDecoder();

/** A value the protobuf field can't hold; caught per record (the record is rejected) or per request (400). */
class FieldError extends Error {}

function structural(path: string, reason: string): never {
  throw new PushDecodeError(`invalid OTLP JSON: ${path}: ${reason}`);
}

/**
 * Could the text hold an integer literal beyond 2^53 (a nanosecond timestamp sent as a JSON number)? A cheap test
 * (a match inside a string only costs the slower parse); JSON.parse alone would round such numbers.
 */
const LONG_INTEGER = /[:[,]\s*-?\d{16}/;

/** JSON.parse reviver keeping integers that a double can't hold exactly as their source text. */
function exactIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source)) {
    return context.source;
  }
  return value;
}

export function decodeOtlpJson(body: Uint8Array): DecodedLogs {
  const text = utf8.decode(body);
  let root: unknown;
  try {
    root = LONG_INTEGER.test(text) ? JSON.parse(text, exactIntegers as (key: string, value: unknown) => unknown) : JSON.parse(text);
  } catch (err) {
    throw new PushDecodeError(`invalid JSON: ${jsonSyntaxDetail(err)}`);
  }
  if (!isPlainObject(root)) structural("request", "must be an object");
  const list = array(get(root, "resourceLogs", "resource_logs"), "resourceLogs");
  const resourceLogs: ResourceLogsLike[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) resourceLogs[i] = resourceLogsOf(list[i], `resourceLogs[${i}]`);
  return logsToEntries(resourceLogs);
}

function get(o: Record<string, unknown>, camel: string, snake?: string): unknown {
  const v = o[camel];
  return v !== undefined || snake === undefined ? v : o[snake];
}

/** A repeated field: absent or null is empty; anything but an array breaks the request. */
function array(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) structural(path, "must be an array");
  return v;
}

/** A message field: absent or null is unset. */
function message(v: unknown, path: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) structural(path, "must be an object");
  return v;
}

function resourceLogsOf(v: unknown, path: string): ResourceLogsLike {
  const o = message(v, path) ?? {};
  const resource = message(o.resource, `${path}.resource`);
  const list = array(get(o, "scopeLogs", "scope_logs"), `${path}.scopeLogs`);
  const scopeLogs: ScopeLogsLike[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) scopeLogs[i] = scopeLogsOf(list[i], `${path}.scopeLogs[${i}]`);
  if (resource === undefined) return { resource: undefined, scopeLogs };
  return { resource: { attributes: requestLevel(() => keyValues(resource.attributes, "attributes"), `${path}.resource`) }, scopeLogs };
}

function scopeLogsOf(v: unknown, path: string): ScopeLogsLike {
  const o = message(v, path) ?? {};
  const scope = message(o.scope, `${path}.scope`);
  const list = array(get(o, "logRecords", "log_records"), `${path}.logRecords`);
  const logRecords: LogRecordLike[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) logRecords[i] = logRecordOf(list[i]);
  return { scope: scope === undefined ? undefined : requestLevel(() => scopeOf(scope), `${path}.scope`), logRecords };
}

/** Runs a conversion whose failure concerns many records: it rejects the request. */
function requestLevel<T>(convert: () => T, path: string): T {
  try {
    return convert();
  } catch (e) {
    if (e instanceof FieldError) structural(path, e.message);
    throw e;
  }
}

function scopeOf(o: Record<string, unknown>): InstrumentationScopeLike {
  return {
    name: str(o.name, "name"),
    version: str(o.version, "version"),
    attributes: keyValues(o.attributes, "attributes"),
    droppedAttributesCount: uint32(get(o, "droppedAttributesCount", "dropped_attributes_count"), "droppedAttributesCount"),
  };
}

const NO_ID = "";

function logRecordOf(v: unknown): LogRecordLike {
  try {
    if (!isPlainObject(v)) throw new FieldError("must be an object");
    return {
      timeUnixNano: uint64(get(v, "timeUnixNano", "time_unix_nano"), "timeUnixNano"),
      observedTimeUnixNano: uint64(get(v, "observedTimeUnixNano", "observed_time_unix_nano"), "observedTimeUnixNano"),
      severityNumber: severityNumber(get(v, "severityNumber", "severity_number")),
      severityText: str(get(v, "severityText", "severity_text"), "severityText"),
      body: anyValue(v.body, "body"),
      attributes: keyValues(v.attributes, "attributes"),
      droppedAttributesCount: uint32(get(v, "droppedAttributesCount", "dropped_attributes_count"), "droppedAttributesCount"),
      flags: uint32(v.flags, "flags"),
      traceId: hexId(get(v, "traceId", "trace_id"), "traceId"),
      spanId: hexId(get(v, "spanId", "span_id"), "spanId"),
      eventName: str(get(v, "eventName", "event_name"), "eventName"),
    };
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    return {
      timeUnixNano: 0n,
      observedTimeUnixNano: 0n,
      severityNumber: 0,
      severityText: "",
      attributes: [],
      droppedAttributesCount: 0,
      flags: 0,
      traceId: NO_ID,
      spanId: NO_ID,
      eventName: "",
      invalid: e.message,
    };
  }
}

function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new FieldError(`${path}: must be a string`);
  return v;
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const DIGITS = /^-?\d+$/;

/** An int64/uint64 field: a JSON number or a string of decimal digits. */
function int64(v: unknown, path: string, min: bigint, max: bigint): bigint {
  let n: bigint;
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new FieldError(`${path}: must be an integer`);
    n = BigInt(v);
  } else if (typeof v === "string" && DIGITS.test(v)) {
    n = BigInt(v);
  } else {
    throw new FieldError(`${path}: must be an integer or a string of digits, got ${describe(v)}`);
  }
  if (n < min || n > max) throw new FieldError(`${path}: ${n} is out of range`);
  return n;
}

function uint64(v: unknown, path: string): bigint {
  return v === undefined || v === null ? 0n : int64(v, path, 0n, UINT64_MAX);
}

function uint32(v: unknown, path: string): number {
  return v === undefined || v === null ? 0 : Number(int64(v, path, 0n, 0xffffffffn));
}

const SEVERITY_PREFIX = "SEVERITY_NUMBER_";
const SEVERITY_NAMES = ["UNSPECIFIED", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/** An enum: OTLP/JSON sends the integer; proto3 JSON's value name (`SEVERITY_NUMBER_WARN2`) is accepted too. */
function severityNumber(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "string" && v.startsWith(SEVERITY_PREFIX)) {
    const m = /^([A-Z]+)([234])?$/.exec(v.slice(SEVERITY_PREFIX.length));
    const level = m === null ? -1 : SEVERITY_NAMES.indexOf(m[1]!);
    if (level === 0 && m![2] === undefined) return 0;
    if (level > 0) return (level - 1) * 4 + 1 + (m![2] === undefined ? 0 : Number(m![2]) - 1);
    throw new FieldError(`severityNumber: unknown value ${quoteForError(v)}`);
  }
  return Number(int64(v, "severityNumber", -(1n << 31n), (1n << 31n) - 1n));
}

const HEX = /^[0-9a-fA-F]*$/;

/** A trace or span id: OTLP/JSON's hex (its length is checked with the record). */
function hexId(v: unknown, path: string): string {
  if (v === undefined || v === null || v === "") return NO_ID;
  if (typeof v !== "string" || !HEX.test(v)) throw new FieldError(`${path}: must be a hex string, got ${describe(v)}`);
  return v.toLowerCase();
}

function keyValues(v: unknown, path: string): KeyValueLike[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(`${path}: must be an array`);
  const out: KeyValueLike[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const kv: unknown = v[i];
    if (!isPlainObject(kv)) throw new FieldError(`${path}[${i}]: must be an object`);
    out[i] = { key: str(kv.key, `${path}[${i}].key`), value: anyValue(kv.value, `${path}[${i}].value`) };
  }
  return out;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * An AnyValue object (`{"stringValue":"…"}`, `{"intValue":"7"}`, …). One with none of the known kinds but other
 * keys is a value kind newer than this receiver: it keeps those keys in `$unknown`, as protobuf-es keeps unknown
 * fields, and reads as empty (a body like that rejects its record).
 */
function anyValue(v: unknown, path: string): (AnyValueLike & { $unknown?: unknown[] }) | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw new FieldError(`${path}: must be an AnyValue object, got ${describe(v)}`);
  let x: unknown;
  if ((x = get(v, "stringValue", "string_value")) !== undefined && x !== null) {
    return { value: { case: "stringValue", value: str(x, `${path}.stringValue`) } };
  }
  if ((x = get(v, "boolValue", "bool_value")) !== undefined && x !== null) {
    if (typeof x !== "boolean") throw new FieldError(`${path}.boolValue: must be true or false`);
    return { value: { case: "boolValue", value: x } };
  }
  if ((x = get(v, "intValue", "int_value")) !== undefined && x !== null) {
    return { value: { case: "intValue", value: int64(x, `${path}.intValue`, INT64_MIN, INT64_MAX) } };
  }
  if ((x = get(v, "doubleValue", "double_value")) !== undefined && x !== null) {
    return { value: { case: "doubleValue", value: double(x, `${path}.doubleValue`) } };
  }
  if ((x = get(v, "arrayValue", "array_value")) !== undefined && x !== null) {
    const values = isPlainObject(x) ? x.values : undefined;
    if (!isPlainObject(x) || (values !== undefined && values !== null && !Array.isArray(values))) {
      throw new FieldError(`${path}.arrayValue: must be {"values":[…]}`);
    }
    const list = (values ?? []) as unknown[];
    const out: AnyValueLike[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = anyValue(list[i], `${path}.arrayValue.values[${i}]`) ?? EMPTY_VALUE;
    return { value: { case: "arrayValue", value: { values: out } } };
  }
  if ((x = get(v, "kvlistValue", "kvlist_value")) !== undefined && x !== null) {
    if (!isPlainObject(x)) throw new FieldError(`${path}.kvlistValue: must be {"values":[…]}`);
    return { value: { case: "kvlistValue", value: { values: keyValues(x.values, `${path}.kvlistValue.values`) } } };
  }
  if ((x = get(v, "bytesValue", "bytes_value")) !== undefined && x !== null) {
    if (typeof x !== "string" || !BASE64.test(x)) throw new FieldError(`${path}.bytesValue: must be a base64 string`);
    return { value: { case: "bytesValue", value: new Uint8Array(Buffer.from(x, "base64")) } };
  }
  const keys = Object.keys(v);
  return keys.length === 0 ? EMPTY_VALUE : { value: { case: undefined }, $unknown: keys };
}

const EMPTY_VALUE: AnyValueLike = { value: { case: undefined } };

/** A double: a JSON number, or proto3 JSON's "NaN", "Infinity", "-Infinity" or a numeric string. */
function double(v: unknown, path: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v === "NaN") return Number.NaN;
    if (v === "Infinity") return Number.POSITIVE_INFINITY;
    if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
    const n = Number(v);
    if (v.trim() !== "" && Number.isFinite(n)) return n;
  }
  throw new FieldError(`${path}: must be a number, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (typeof v === "string") return quoteForError(v);
  if (v === null) return "null";
  return Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : String(v);
}
