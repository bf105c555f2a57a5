/** Loki's deprecated `/api/prom/push` JSON, a plain JSON decode of logproto.PushRequest (protocols-and-peers.md §1 "Endpoints"; Loki pkg/push/types.go). */

import type { Entry } from "../../model/entry.ts";
import { nowInstant, parseRfc3339, type Instant } from "../../capture/timestamp.ts";
import { isPlainObject, sortedStringRecord } from "../string-record.ts";
import { invalidJson, jsonPushStreams } from "./json-push-streams.ts";
import { parseLabelString } from "./label-string.ts";



/**
 * `{"streams":[{"labels":"{a=\"b\"}","entries":[{"ts":"<RFC3339>","line":"…","structuredMetadata":{…}}]}]}` → entries.
 * Field names are Loki's JSON tags: only `ts` names the timestamp (no `timestamp` alias, Loki has none). Where Go
 * would leave a zero value, a missing/null `ts` takes the receive time and a missing/null `line` is "".
 */
export function decodeLegacy(body: Uint8Array): Entry[] {
  const out: Entry[] = [];
  const streams = jsonPushStreams(body);
  for (let s = 0; s < streams.length; s++) {
    const stream = streams[s]!;
    const rawLabels = stream.labels ?? "";
    if (typeof rawLabels !== "string") invalidJson(`streams[${s}].labels must be a string`);
    const labels = parseLabelString(rawLabels);
    const entries = stream.entries;
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) invalidJson(`streams[${s}].entries must be an array`);
    for (let e = 0; e < entries.length; e++) {
      const entry: unknown = entries[e];
      if (!isPlainObject(entry)) invalidJson(`streams[${s}].entries[${e}] must be an object`);
      const ts = entryTime(entry.ts, s, e);
      const line = entry.line ?? "";
      if (typeof line !== "string") invalidJson(`streams[${s}].entries[${e}].line must be a string`);
      const sm = entry.structuredMetadata ?? {};
      const meta = isPlainObject(sm) ? sortedStringRecord(sm) : null;
      if (meta === null) invalidJson(`streams[${s}].entries[${e}].structuredMetadata must be an object of strings`);
      out.push(
        meta === undefined
          ? { sec: ts.sec, nsec: ts.nsec, labels, msg: line }
          : { sec: ts.sec, nsec: ts.nsec, labels, msg: line, meta },
      );
    }
  }
  return out;
}

function entryTime(ts: unknown, s: number, e: number): Instant {
  if (ts === undefined || ts === null) return nowInstant();
  const parsed = typeof ts === "string" ? parseRfc3339(ts) : null;
  if (parsed === null) invalidJson(`streams[${s}].entries[${e}].ts must be an RFC3339 timestamp`);
  return parsed;
}
