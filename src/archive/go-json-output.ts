/**
 * JSON documents the way the Go tool's encoder prints them, so scripts written against upstream keep working:
 * `<`, `>`, `&`, U+2028 and U+2029 escaped. These characters can only occur inside string literals of the
 * output, so escaping the finished text is exact.
 */

const ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** Encoder output: compact or 2-space indented, newline-terminated. Key order is the object's insertion order. */
export function goJson(value: unknown, indent: boolean): string {
  return JSON.stringify(value, null, indent ? 2 : undefined).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]!) + "\n";
}
