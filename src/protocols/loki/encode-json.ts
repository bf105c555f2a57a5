/**
 * Loki v1 JSON push body for a push's streams: `{"streams":[{"stream":{…},"values":[["<unix ns>","<line>"(,{meta})],…]}]}`
 * — what upstream's forwarder sends (§23.3). Nanoseconds are written as decimal text from seconds and nanoseconds,
 * so no precision is lost and no BigInt is needed.
 */

import type { Entry } from "../../model/entry.ts";
import type { PushStream } from "./push-streams.ts";

export function unixNanosText(e: Entry): string {
  if (e.sec > 0) return `${e.sec}${String(e.nsec).padStart(9, "0")}`;
  // Before 1970 (or 0): rare enough for BigInt.
  return String(BigInt(e.sec) * 1_000_000_000n + BigInt(e.nsec));
}

export function encodePushJson(streams: readonly PushStream[]): string {
  let out = '{"streams":[';
  for (let s = 0; s < streams.length; s++) {
    const stream = streams[s]!;
    out += (s === 0 ? "" : ",") + '{"stream":' + JSON.stringify(stream.labels) + ',"values":[';
    for (let i = 0; i < stream.entries.length; i++) {
      const e = stream.entries[i]!;
      out += (i === 0 ? '["' : ',["') + unixNanosText(e) + '",' + JSON.stringify(e.msg) + (e.meta ? "," + JSON.stringify(e.meta) + "]" : "]");
    }
    out += "]}";
  }
  return out + "]}";
}
