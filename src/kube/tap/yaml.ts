/**
 * A small deterministic YAML emitter for JSON values, in kubectl's layout (`kubectl get -o yaml`): keys sorted,
 * two-space indentation, list items at their parent key's indentation, strings quoted only when YAML would read
 * them as something else. It exists for the `--dry-run` diff, whose lines must be stable and readable; a
 * dependency would give neither guarantee. Every output parses back to the same value (the tests check it).
 */

import type { Json } from "./workload.ts";

/** Plain scalars YAML 1.1 or 1.2 would resolve to null, a boolean, a number or a timestamp: these get quoted. */
const NON_STRING = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?/,
  /^(?:<<|=)$/,
];

// Characters a plain or single-quoted scalar cannot carry: control characters, line breaks, BOM, lone surrogates.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPES = /[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function needsQuotes(s: string): boolean {
  if (s === "" || s !== s.trim() || NEEDS_ESCAPES.test(s)) return true;
  if (NON_STRING.some((re) => re.test(s))) return true;
  // Indicators that cannot start a plain scalar; `-`, `?` and `:` only when followed by a space (or alone).
  if (/^[,\[\]{}#&*!|>'"%@`]/.test(s) || /^[-?:](?:\s|$)/.test(s)) return true;
  return s.includes(": ") || s.includes(" #") || s.endsWith(":");
}

function scalar(v: null | boolean | number | string): string {
  if (v === null) return "null";
  if (typeof v !== "string") return String(v);
  if (!needsQuotes(v)) return v;
  // As kubectl: double quotes for what would read as another type (`"3100"`) and for what needs escapes (control
  // characters, line breaks); single quotes otherwise, which keep JSON values in annotations readable.
  if (NEEDS_ESCAPES.test(v) || NON_STRING.some((re) => re.test(v))) return JSON.stringify(v);
  return `'${v.replaceAll("'", "''")}'`;
}

const isScalar = (v: Json): v is null | boolean | number | string => v === null || typeof v !== "object";
const isEmpty = (v: Json): boolean => (Array.isArray(v) ? v.length === 0 : typeof v === "object" && v !== null && Object.keys(v).length === 0);
const inline = (v: Json): string => (isScalar(v) ? scalar(v) : Array.isArray(v) ? "[]" : "{}");

function emit(v: Json, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isScalar(item) || isEmpty(item)) {
        out.push(`${indent}- ${inline(item)}`);
        continue;
      }
      // The item's first line goes after the dash; the rest of it is indented by two more.
      const inner: string[] = [];
      emit(item, `${indent}  `, inner);
      out.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
    }
    return;
  }
  const obj = v as { [key: string]: Json };
  for (const key of Object.keys(obj).sort()) {
    const value = obj[key]!;
    if (isScalar(value) || isEmpty(value)) out.push(`${indent}${scalar(key)}: ${inline(value)}`);
    else {
      out.push(`${indent}${scalar(key)}:`);
      emit(value, Array.isArray(value) ? indent : `${indent}  `, out);
    }
  }
}

/** `value` as YAML lines (no document marker), each without its newline. */
export function yamlLines(value: Json): string[] {
  if (isScalar(value) || isEmpty(value)) return [inline(value)];
  const out: string[] = [];
  emit(value, "", out);
  return out;
}

export function toYaml(value: Json): string {
  return yamlLines(value).join("\n") + "\n";
}
