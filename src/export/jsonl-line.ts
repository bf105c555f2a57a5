/**
 * JSONL export lines: the capture line schema (`ts`, `labels`, `msg`, plus `meta` when present) without Go's HTML
 * escaping (upstream exports with SetEscapeHTML(false)), `ts` re-serialised as RFC3339Nano in UTC.
 */

import type { Entry, Labels } from "../model/entry.ts";
import type { RowPattern } from "../model/patterned-batch.ts";
import { formatInstant } from "../capture/timestamp.ts";
import { sortedKeys } from "./sorted-keys.ts";

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/**
 * A JSON string literal as Go's encoder writes it with HTML escaping off: U+2028/U+2029 are still escaped, and
 * unpaired surrogates (which Go cannot hold) become U+FFFD.
 */
export function quoteJson(s: string): string {
  let q = JSON.stringify(s);
  if (q.includes("\\ud")) q = JSON.stringify(s.toWellFormed());
  if (q.includes("\u2028") || q.includes("\u2029")) q = q.replace(LINE_SEPARATORS, (c) => (c === "\u2028" ? "\\u2028" : "\\u2029"));
  return q;
}

function jsonMap(map: Readonly<Record<string, string>>): string {
  const keys = sortedKeys(map);
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ",";
    out += quoteJson(keys[i]!) + ":" + quoteJson(map[keys[i]!]!);
  }
  return out + "}";
}

// Readers intern label sets, so entries of one stream share a labels object: encode it once.
const labelsJson = new WeakMap<Labels, string>();

function labelsPart(labels: Labels): string {
  let s = labelsJson.get(labels);
  if (s === undefined) {
    s = "";
    for (const _ in labels) {
      s = `,"labels":${jsonMap(labels)}`;
      break;
    }
    labelsJson.set(labels, s);
  }
  return s;
}

function linePrefix(e: Entry): string {
  let line = `{"ts":"${formatInstant(e.sec, e.nsec)}"` + labelsPart(e.labels);
  line += `,"msg":${quoteJson(e.msg)}`;
  if (e.meta !== undefined) line += `,"meta":${jsonMap(e.meta)}`;
  return line;
}

/** One exported line, newline included. */
export function exportJsonLine(e: Entry): string {
  return linePrefix(e) + "}\n";
}

/** With `--with-pattern`: `pattern` and `pattern_id` last, both null for an ungrouped line. */
export function exportJsonLineWithPattern(e: Entry, pattern: RowPattern | null): string {
  const tail = pattern === null ? `,"pattern":null,"pattern_id":null}\n` : `,"pattern":${quoteJson(pattern.text)},"pattern_id":"${pattern.id}"}\n`;
  return linePrefix(e) + tail;
}
