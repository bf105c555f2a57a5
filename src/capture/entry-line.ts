/** One capture line per entry: `{"ts":…,"labels":{…},"msg":…}` (upstream §2.3), plus `meta` when a client sent structured metadata. */

import type { Entry, Labels } from "../model/entry.ts";
import { formatInstant, parseRfc3339Fast } from "./timestamp.ts";
import { goQuote, goStringMap } from "./go-json.ts";
import { EMPTY_LABELS } from "../model/entry.ts";

// Entries of one stream share one labels object, so the encoded form is computed once per stream, not per line.
const labelsJson = new WeakMap<Labels, string>();

function encodedLabels(labels: Labels): string {
  let s = labelsJson.get(labels);
  if (s === undefined) {
    s = Object.keys(labels).length === 0 ? "" : `,"labels":${goStringMap(labels)}`;
    labelsJson.set(labels, s);
  }
  return s;
}

/** The JSONL line for an entry, without the trailing newline. */
export function encodeEntryLine(e: Entry): string {
  let line = `{"ts":"${formatInstant(e.sec, e.nsec)}"${encodedLabels(e.labels)},"msg":${goQuote(e.msg)}`;
  if (e.meta !== undefined) line += `,"meta":${goStringMap(e.meta)}`;
  return line + "}";
}

/**
 * Parses a capture line. Lines that are not entries (bad JSON, `ts` not RFC3339, non-string labels) yield null,
 * as upstream's reader skips them silently.
 */
export function decodeEntryLine(line: string): Entry | null {
  let v: unknown;
  try {
    // The native parser beats any hand-written scanner in JS; the savings come from what is done around it.
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.ts !== "string") return null;
  const t = parseRfc3339Fast(o.ts);
  if (t === null) return null;
  const labels = o.labels === undefined || o.labels === null ? EMPTY_LABELS : internLabels(line, o.labels);
  if (labels === null) return null;
  const msg = o.msg === undefined || o.msg === null ? "" : o.msg;
  if (typeof msg !== "string") return null;
  const entry: Entry = { sec: t.sec, nsec: t.nsec, labels, msg };
  if (o.meta !== undefined) {
    const meta = stringMap(o.meta);
    if (meta === null) return null;
    if (Object.keys(meta).length > 0) entry.meta = meta;
  }
  return entry;
}

// Label sets repeat on nearly every line. Interning them by their JSON text lets per-stream caches (label filters,
// index counts) work by object identity, as they do for pushed entries. The text between `"labels":` and `,"msg":`
// is exactly the labels object: an unescaped `"` cannot occur inside a JSON string, so neither can that separator.
const internedLabels = new Map<string, Labels>();
const LABELS_KEY = '"labels":';
const MSG_KEY = ',"msg":';

function internLabels(line: string, parsed: unknown): Labels | null {
  const m = stringMap(parsed);
  if (m === null) return null;
  const start = line.indexOf(LABELS_KEY);
  const end = start < 0 ? -1 : line.indexOf(MSG_KEY, start);
  if (end < 0) return Object.keys(m).length === 0 ? EMPTY_LABELS : Object.freeze(m);
  const key = line.slice(start + LABELS_KEY.length, end);
  return internedLabels.get(key) ?? remember(key, m);
}

/**
 * The interned label set for the JSON text of a labels object (the text between `"labels":` and `,"msg":` of a
 * line), for readers that find that text without parsing the line; null when it is not a string map.
 */
export function labelsFromJson(text: string): Labels | null {
  const known = internedLabels.get(text);
  if (known !== undefined) return known;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null) return EMPTY_LABELS;
  const m = stringMap(v);
  return m === null ? null : remember(text, m);
}

function remember(key: string, m: Record<string, string>): Labels {
  if (internedLabels.size >= 10_000) internedLabels.clear();
  const labels = Object.keys(m).length === 0 ? EMPTY_LABELS : Object.freeze(m);
  // A copy: the slice would keep the whole decompressed frame it came from alive as long as the map holds it.
  internedLabels.set(Buffer.from(key, "utf8").toString("utf8"), labels);
  return labels;
}

function stringMap(v: unknown): Record<string, string> | null {
  if (typeof v !== "object" || Array.isArray(v)) return null;
  for (const x of Object.values(v as object)) if (typeof x !== "string") return null;
  return v as Record<string, string>;
}
