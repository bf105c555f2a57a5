/**
 * A push ready to send: the encoded body (snappy protobuf, or JSON) of some entries, with the §23.3 size estimate
 * that bounds the retry buffer. Encoded once, so a retry resends the same bytes and a buffered batch holds its
 * compressed body rather than the entry objects.
 */

import snappy from "snappyjs";
import type { Entry } from "../model/entry.ts";
import { encodePushJson } from "../protocols/loki/encode-json.ts";
import { encodePushProto } from "../protocols/loki/encode-proto.ts";
import { groupStreams } from "../protocols/loki/push-streams.ts";

export type PushFormat = "protobuf" | "json";

/** Upstream's bound on one push (§23.3), kept so a receiver sized for upstream's forwarder takes ours. */
export const MAX_BODY_BYTES = 1 << 20;

export interface PushBatch {
  body: Uint8Array;
  contentType: string;
  lines: number;
  /** Σ label name+value lengths per stream + Σ (line length + 24): upstream's estimate, so LOGTAP_BUFFER_SIZE means the same. */
  estimatedBytes: number;
}

const CONTENT_TYPE: Record<PushFormat, string> = { protobuf: "application/x-protobuf", json: "application/json" };
const utf8 = new TextEncoder();

/** §23.3's estimate of what entries weigh in the retry buffer: each stream's labels once, each line + 24. */
export function estimateBytes(entries: readonly Entry[]): number {
  let n = 0;
  const seen = new Set<Entry["labels"]>();
  for (const e of entries) {
    if (!seen.has(e.labels)) {
      seen.add(e.labels);
      for (const k in e.labels) n += k.length + e.labels[k]!.length;
    }
    n += e.msg.length + 24;
  }
  return n;
}

function serialize(entries: readonly Entry[], format: PushFormat): Uint8Array {
  const streams = groupStreams(entries);
  return format === "protobuf" ? encodePushProto(streams) : utf8.encode(encodePushJson(streams));
}

export interface EncodedPushes {
  batches: PushBatch[];
  /** Entries that alone serialize to more than the bound: no split can send them. */
  tooLarge: Entry[];
}

/**
 * Encodes entries as pushes of at most `maxBody` serialized bytes (before snappy), in order: a set that is too large
 * is halved until each part fits. Upstream dropped a whole batch over the bound; here only a single line that can
 * never fit is lost.
 */
export function encodePushes(entries: readonly Entry[], format: PushFormat, maxBody = MAX_BODY_BYTES): EncodedPushes {
  const out: EncodedPushes = { batches: [], tooLarge: [] };
  const encode = (part: readonly Entry[]) => {
    const bytes = serialize(part, format);
    if (bytes.length <= maxBody) {
      const body = format === "protobuf" ? snappy.compress(bytes) : bytes;
      out.batches.push({ body, contentType: CONTENT_TYPE[format], lines: part.length, estimatedBytes: estimateBytes(part) });
    } else if (part.length === 1) {
      out.tooLarge.push(part[0]!);
    } else {
      const mid = part.length >> 1;
      encode(part.slice(0, mid));
      encode(part.slice(mid));
    }
  };
  if (entries.length > 0) encode(entries);
  return out;
}
