/**
 * JSON text the way Go's encoding/json writes it, which the capture format inherits: HTML-sensitive characters
 * and the JS line separators escaped, map keys sorted.
 */

const GO_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};
const NEEDS_GO_ESCAPE = /[<>&\u2028\u2029]/;
const GO_ESCAPE_ALL = /[<>&\u2028\u2029]/g;

/** A JSON string literal with Go's HTML escaping. */
export function goQuote(s: string): string {
  const q = JSON.stringify(s);
  return NEEDS_GO_ESCAPE.test(q) ? q.replace(GO_ESCAPE_ALL, (c) => GO_ESCAPES[c]!) : q;
}

/** A string→string map as a Go-encoded JSON object (keys sorted byte-wise). */
export function goStringMap(map: Readonly<Record<string, string>>): string {
  const keys = Object.keys(map).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) out += ",";
    out += goQuote(k) + ":" + goQuote(map[k]!);
  }
  return out + "}";
}

/**
 * JSON.stringify with Go's HTML escaping applied afterwards: `<`, `>`, `&` and the line separators can only occur
 * inside strings, so replacing them in the whole text is exact.
 */
export function goJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent);
  return NEEDS_GO_ESCAPE.test(text) ? text.replace(GO_ESCAPE_ALL, (c) => GO_ESCAPES[c]!) : text;
}

/** A whole JSON output document as Go's encoder prints it: compact or 2-space indented, newline-terminated. */
export function goJsonDocument(value: unknown, indent: boolean): string {
  return goJson(value, indent ? 2 : undefined) + "\n";
}
