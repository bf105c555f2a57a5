/**
 * Go's fmt verbs as the API server's error messages use them on decoded JSON (map[string]interface{} and friends),
 * so the stand-in's messages read byte for byte like the real ones: `%v`, `%q`, `%s`, and reflect type names.
 */

/** fmt %v of a JSON value decoded into interface{}: maps print as map[k:v ...] with sorted keys, slices as [a b]. */
export function goV(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goV).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort(compareGoStrings)
      .map((k) => `${k}:${goV((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(" ")}]`;
  }
  if (typeof value === "number") return goNumber(value);
  return String(value);
}

/** fmt %s: strings verbatim, everything else in Go's %!s(type=value) form. */
export function goS(value: unknown): string {
  if (typeof value === "string") return value;
  return `%!s(${goType(value)}=${goV(value)})`;
}

/** reflect.TypeOf(v).String() for a value decoded from JSON (integers are int64, as the API server decodes them). */
export function goType(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return "[]interface {}";
  switch (typeof value) {
    case "object":
      return "map[string]interface {}";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int64" : "float64";
    default:
      return typeof value;
  }
}

/** The JSON type word encoding/json uses in "cannot unmarshal X into Go value of type Y". */
export function jsonKindWord(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "boolean") return "bool";
  return typeof value; // "string" | "number"
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // %v of float64 is %g with the shortest representation; Go writes two-digit exponents (1e-07), JS does not.
  return String(n).replace(/e([+-])(\d)$/, "e$10$2");
}

/** strconv.Quote (fmt %q of a string): Go escapes, printable Unicode kept as is. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case "\\": out += "\\\\"; continue;
      case "\x07": out += "\\a"; continue;
      case "\b": out += "\\b"; continue;
      case "\f": out += "\\f"; continue;
      case "\n": out += "\\n"; continue;
      case "\r": out += "\\r"; continue;
      case "\t": out += "\\t"; continue;
      case "\v": out += "\\v"; continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** Go compares strings bytewise (UTF-8); for the ASCII keys of API objects this is plain code-unit order. */
export function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** len() of a Go string: UTF-8 bytes, which is what the 63- and 253-character limits count. */
export function goLen(text: string): number {
  return new TextEncoder().encode(text).length;
}
