/** Loki v1 JSON push body (protocols-and-peers.md §1 "JSON body (v1)"; Loki pkg/loghttp/entry.go). */

import { EMPTY_LABELS, type Entry, type Labels } from "../../model/entry.ts";
import { PushDecodeError, quoteForError } from "../push-decode-error.ts";
import { internSortedPairs, sortPairs } from "../labels-interner.ts";
import { isPlainObject, sortedStringRecord } from "../string-record.ts";
import { invalidJson, jsonPushStreams } from "./json-push-streams.ts";

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;


/**
 * `{"streams":[{"stream":{…},"values":[["<ns>","<line>"(, {…})]]}]}` → entries. Follows Loki, not upstream logtap:
 * a timestamp that is not a string of integer nanoseconds rejects the push (upstream silently used receive time).
 * A missing or null `streams` is an empty push, as Loki decodes `{}` without error. Label sets get Loki's
 * normalisation (names checked, empty values dropped) so a stream has the same labels whichever encoding sent it.
 */
export function decodeJson(body: Uint8Array): Entry[] {
  const entries: Entry[] = [];
  const streams = jsonPushStreams(body);
  for (let s = 0; s < streams.length; s++) {
    const stream = streams[s]!;
    const labels = streamLabels(stream.stream, s);
    const values = stream.values;
    if (values === undefined || values === null) continue;
    if (!Array.isArray(values)) invalidJson(`streams[${s}].values must be an array`);
    for (let v = 0; v < values.length; v++) {
      const value: unknown = values[v];
      if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
        invalidJson(`streams[${s}].values[${v}] must be an array of 2 or 3 elements`);
      }
      const ts: unknown = value[0];
      const line: unknown = value[1];
      if (typeof ts !== "string" || !parseNanos(ts)) {
        invalidJson(`streams[${s}].values[${v}]: timestamp must be a string of integer nanoseconds`);
      }
      if (typeof line !== "string") invalidJson(`streams[${s}].values[${v}]: line must be a string`);
      const meta = value.length === 3 ? structuredMetadata(value[2], s, v) : undefined;
      entries.push(
        meta === undefined
          ? { sec: tsSec, nsec: tsNsec, labels, msg: line }
          : { sec: tsSec, nsec: tsNsec, labels, msg: line, meta },
      );
    }
  }
  return entries;
}

function streamLabels(stream: unknown, s: number): Labels {
  if (stream === undefined || stream === null) return EMPTY_LABELS;
  if (!isPlainObject(stream)) invalidJson(`streams[${s}].stream must be an object`);
  const pairs: string[] = [];
  for (const name of Object.keys(stream)) {
    const value = stream[name];
    if (typeof value !== "string") invalidJson(`streams[${s}].stream.${name}: label value must be a string`);
    if (!LABEL_NAME.test(name)) {
      throw new PushDecodeError(`couldn't parse labels: invalid label name ${quoteForError(name)} in streams[${s}]`);
    }
    if (value !== "") pairs.push(name, value);
  }
  sortPairs(pairs);
  return internSortedPairs(pairs);
}

function structuredMetadata(third: unknown, s: number, v: number): Record<string, string> | undefined {
  if (!isPlainObject(third)) invalidJson(`streams[${s}].values[${v}][2] must be an object`);
  // Loki also accepts its query-response shape here; only the structured-metadata half belongs to a push.
  const categorized = isPlainObject(third.structuredMetadata) || isPlainObject(third.parsed);
  const source = categorized ? (third.structuredMetadata ?? {}) : third;
  const meta = isPlainObject(source) ? sortedStringRecord(source) : null;
  if (meta === null) invalidJson(`streams[${s}].values[${v}][2]: structured metadata values must be strings`);
  return meta;
}

// parseNanos' result. Module state rather than a returned object: this runs once per entry on the hot path.
let tsSec = 0;
let tsNsec = 0;

/** Go's strconv.ParseInt(s, 10, 64) of epoch nanoseconds, split into (sec, nsec) without BigInt. */
function parseNanos(s: string): boolean {
  const n = s.length;
  const sign = s.charCodeAt(0);
  const negative = sign === 45;
  let i = negative || sign === 43 ? 1 : 0;
  if (i === n) return false;
  // Leading zeros are legal and don't count toward int64's 19 digits.
  while (i < n - 1 && s.charCodeAt(i) === 48) i++;
  if (n - i > 19) return false;
  const split = n - 9;
  let sec = 0;
  let nsec = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (i < split) sec = sec * 10 + d;
    else nsec = nsec * 10 + d;
  }
  if (sec > 9223372036 || (sec === 9223372036 && nsec > (negative ? 854775808 : 854775807))) return false;
  if (negative && nsec !== 0) {
    sec = -sec - 1;
    nsec = 1e9 - nsec;
  } else if (negative && sec !== 0) {
    sec = -sec;
  }
  tsSec = sec;
  tsNsec = nsec;
  return true;
}
