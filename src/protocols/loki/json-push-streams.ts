/**
 * The envelope both Loki JSON push formats share (v1 and the legacy `/api/prom/push`): a JSON object whose `streams`
 * is an array of objects. A missing or null `streams` is an empty push, as Loki decodes `{}` without error.
 */

import { PushDecodeError, jsonSyntaxDetail } from "../push-decode-error.ts";
import { isPlainObject } from "../string-record.ts";

const utf8 = new TextDecoder();

export function invalidJson(reason: string): never {
  throw new PushDecodeError(`invalid JSON: ${reason}`);
}

/** The body's streams, each checked to be an object; errors name the stream by index as Loki's do. */
export function jsonPushStreams(body: Uint8Array): Record<string, unknown>[] {
  let root: unknown;
  try {
    root = JSON.parse(utf8.decode(body));
  } catch (err) {
    invalidJson(jsonSyntaxDetail(err));
  }
  if (!isPlainObject(root)) invalidJson("body must be an object");
  const streams = root.streams;
  if (streams === undefined || streams === null) return [];
  if (!Array.isArray(streams)) invalidJson("streams must be an array");
  for (let s = 0; s < streams.length; s++) if (!isPlainObject(streams[s])) invalidJson(`streams[${s}] must be an object`);
  return streams as Record<string, unknown>[];
}
