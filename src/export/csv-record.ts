/**
 * CSV export records (upstream §10, Go's encoding/csv rules): header `ts,labels,msg`, `\n` line ends, a field is
 * quoted when it contains `,` `"` CR or LF, starts with a Unicode space, or is exactly `\.`; quotes are doubled.
 * `labels` is flattened to `k1=v1;k2=v2` in key order (empty when none). Structured metadata is not exported to CSV.
 * With `--with-pattern`, two more columns: `pattern` and `pattern_id` (both empty for an ungrouped line).
 */

import type { Entry, Labels } from "../model/entry.ts";
import type { RowPattern } from "../model/patterned-batch.ts";
import { formatInstant } from "../capture/timestamp.ts";
import { sortedKeys } from "./sorted-keys.ts";

export const CSV_HEADER = "ts,labels,msg\n";
export const CSV_HEADER_WITH_PATTERN = "ts,labels,msg,pattern,pattern_id\n";

const NEEDS_QUOTES = /[",\r\n]/;
// Go's unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property (no U+FEFF, unlike JS's \s).
const LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

export function csvField(s: string): string {
  if (s === "") return s;
  if (NEEDS_QUOTES.test(s) || LEADING_SPACE.test(s) || s === "\\.") return `"${s.replaceAll('"', '""')}"`;
  return s;
}

/** `k1=v1;k2=v2` with keys in byte order; keys and values are written as they are (no escaping of `;` or `=`). */
export function flattenLabels(labels: Labels): string {
  const keys = sortedKeys(labels);
  let out = "";
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ";";
    out += keys[i]! + "=" + labels[keys[i]!]!;
  }
  return out;
}

// Readers intern label sets, so entries of one stream share a labels object: encode it once.
const labelsField = new WeakMap<Labels, string>();

function csvFields(e: Entry): string {
  let labels = labelsField.get(e.labels);
  if (labels === undefined) {
    labels = csvField(flattenLabels(e.labels));
    labelsField.set(e.labels, labels);
  }
  return `${formatInstant(e.sec, e.nsec)},${labels},${csvField(e.msg)}`;
}

/** One CSV record, newline included. */
export function csvRecord(e: Entry): string {
  return csvFields(e) + "\n";
}

/** With `--with-pattern`: the pattern columns too, empty for an ungrouped line. */
export function csvRecordWithPattern(e: Entry, pattern: RowPattern | null): string {
  return pattern === null ? csvFields(e) + ",,\n" : `${csvFields(e)},${csvField(pattern.text)},${pattern.id}\n`;
}
