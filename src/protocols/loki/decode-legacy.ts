/** Loki's deprecated `/api/prom/push` JSON, a plain JSON decode of logproto.PushRequest (protocols-and-peers.md §1 "Endpoints"; Loki pkg/push/types.go). */

import type { Entry } from "../../../pipeline/entry.ts";
import { nowInstant, parseRfc3339, type Instant } from "../../capture/timestamp.ts";
import { PushDecodeError, jsonSyntaxDetail } from "../push-decode-error.ts";
import { isPlainObject, sortedStringRecord } from "../string-record.ts";
import { parseLabelString } from "./label-string.ts";

const utf8 = new TextDecoder();

function invalid(reason: string): never {
  throw new PushDecodeError(`invalid JSON: ${reason}`);
}

/**
 * `{"streams":[{"labels":"{a=\"b\"}","entries":[{"ts":"<RFC3339>","line":"…","structuredMetadata":{…}}]}]}` → entries.
 * Field names are Loki's JSON tags: only `ts` names the timestamp (no `timestamp` alias, Loki has none). Where Go
 * would leave a zero value, a missing/null `ts` takes the receive time and a missing/null `line` is "".
 */
export function decodeLegacy(body: Uint8Array): Entry[] {
  let root: unknown;
  try {
    root = JSON.parse(utf8.decode(body));
  } catch (err) {
    invalid(jsonSyntaxDetail(err));
  }
  if (!isPlainObject(root)) invalid("body must be an object");
  const out: Entry[] = [];
  const streams = root.streams;
  if (streams === undefined || streams === null) return out;
  if (!Array.isArray(streams)) invalid("streams must be an array");
  for (let s = 0; s < streams.length; s++) {
    const stream: unknown = streams[s];
    if (!isPlainObject(stream)) invalid(`streams[${s}] must be an object`);
    const rawLabels = stream.labels ?? "";
    if (typeof rawLabels !== "string") invalid(`streams[${s}].labels must be a string`);
    const labels = parseLabelString(rawLabels);
    const entries = stream.entries;
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) invalid(`streams[${s}].entries must be an array`);
    for (let e = 0; e < entries.length; e++) {
      const entry: unknown = entries[e];
      if (!isPlainObject(entry)) invalid(`streams[${s}].entries[${e}] must be an object`);
      const ts = entryTime(entry.ts, s, e);
      const line = entry.line ?? "";
      if (typeof line !== "string") invalid(`streams[${s}].entries[${e}].line must be a string`);
      const sm = entry.structuredMetadata ?? {};
      const meta = isPlainObject(sm) ? sortedStringRecord(sm) : null;
      if (meta === null) invalid(`streams[${s}].entries[${e}].structuredMetadata must be an object of strings`);
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
  if (parsed === null) invalid(`streams[${s}].entries[${e}].ts must be an RFC3339 timestamp`);
  return parsed;
}
