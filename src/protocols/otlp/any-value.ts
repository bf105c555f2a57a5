/**
 * OTLP `AnyValue` as text, the way Loki turns a log body or attribute into a line or label value: pdata's
 * `Value.AsString()` (open-telemetry/opentelemetry-collector pdata/pcommon/value.go) — strings as is, numbers and
 * booleans in Go's formatting, bytes as standard base64, maps and arrays as compact JSON with sorted keys.
 */

/** The `value` oneof of a decoded `AnyValue`; protobuf-es messages and the JSON mapper both produce this shape. */
export type AnyValueKind =
  | { case: "stringValue"; value: string }
  | { case: "boolValue"; value: boolean }
  | { case: "intValue"; value: bigint }
  | { case: "doubleValue"; value: number }
  | { case: "arrayValue"; value: { values: AnyValueLike[] } }
  | { case: "kvlistValue"; value: { values: KeyValueLike[] } }
  | { case: "bytesValue"; value: Uint8Array }
  | { case: undefined; value?: undefined };

export interface AnyValueLike {
  value: AnyValueKind;
}

export interface KeyValueLike {
  key: string;
  value?: AnyValueLike | undefined;
}

export function anyValueToString(v: AnyValueLike | undefined): string {
  if (v === undefined) return "";
  const kind = v.value;
  switch (kind.case) {
    case "stringValue":
      return kind.value;
    case "boolValue":
      return kind.value ? "true" : "false";
    case "intValue":
      return kind.value.toString();
    case "doubleValue":
      return Number.isFinite(kind.value) ? float64Text(kind.value) : `json: unsupported value: ${goFloatG(kind.value)}`;
    case "bytesValue":
      return base64(kind.value);
    case "arrayValue":
    case "kvlistValue":
      // Go's json.Marshal fails on NaN/±Inf anywhere inside, and AsString then returns "".
      return toJson(v) ?? "";
    default:
      return "";
  }
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64) for the non-finite values. */
function goFloatG(f: number): string {
  return Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
}

/**
 * Go's ES6-style float formatting (encoding/json, pdata float64AsString). For finite values it is exactly
 * JavaScript's Number→String, except that Go keeps the sign of negative zero.
 */
function float64Text(f: number): string {
  return f === 0 && Object.is(f, -0) ? "-0" : String(f);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** A JSON string literal as Go's encoder writes it (no HTML escaping, but U+2028/U+2029 always escaped). */
function jsonString(s: string): string {
  const out = JSON.stringify(s);
  return out.indexOf("\u2028") === -1 && out.indexOf("\u2029") === -1
    ? out
    : out.replace(LINE_SEPARATORS, (c) => (c === "\u2028" ? "\\u2028" : "\\u2029"));
}

/** `json.Marshal(value.AsRaw())`, or undefined where Go's marshal fails (a NaN or infinity inside). */
function toJson(v: AnyValueLike | undefined): string | undefined {
  if (v === undefined) return "null";
  const kind = v.value;
  switch (kind.case) {
    case "stringValue":
      return jsonString(kind.value);
    case "boolValue":
      return kind.value ? "true" : "false";
    case "intValue":
      return kind.value.toString();
    case "doubleValue":
      return Number.isFinite(kind.value) ? float64Text(kind.value) : undefined;
    case "bytesValue":
      return `"${base64(kind.value)}"`;
    case "arrayValue": {
      const values = kind.value.values;
      let out = "[";
      for (let i = 0; i < values.length; i++) {
        const item = toJson(values[i]);
        if (item === undefined) return undefined;
        out += i === 0 ? item : "," + item;
      }
      return out + "]";
    }
    case "kvlistValue": {
      // AsRaw builds a Go map (a repeated key keeps its last value); encoding/json writes map keys sorted.
      const byKey = new Map<string, AnyValueLike | undefined>();
      for (const kv of kind.value.values) byKey.set(kv.key, kv.value);
      const keys = [...byKey.keys()].sort();
      let out = "{";
      for (let i = 0; i < keys.length; i++) {
        const item = toJson(byKey.get(keys[i]!));
        if (item === undefined) return undefined;
        out += (i === 0 ? "" : ",") + jsonString(keys[i]!) + ":" + item;
      }
      return out + "}";
    }
    default:
      return "null";
  }
}
