/** Builds Loki push bodies the way clients encode them (JSON v1, protobuf + snappy block). */

import { create, toBinary } from "@bufbuild/protobuf";
import snappy from "snappyjs";
import { PushRequestSchema } from "../../src/protocols/loki/gen/push_pb.ts";

export interface TestStream {
  labels: Record<string, string>;
  values: Array<[string, string] | [string, string, Record<string, string>]>;
}

export function lokiJson(streams: TestStream[]): string {
  return JSON.stringify({ streams: streams.map((s) => ({ stream: s.labels, values: s.values })) });
}

function labelString(labels: Record<string, string>): string {
  return "{" + Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ") + "}";
}

export function lokiProtobuf(streams: TestStream[]): Uint8Array {
  const msg = create(PushRequestSchema, {
    streams: streams.map((s) => ({
      labels: labelString(s.labels),
      entries: s.values.map(([ns, line, meta]) => ({
        timestamp: { seconds: BigInt(ns) / 1_000_000_000n, nanos: Number(BigInt(ns) % 1_000_000_000n) },
        line,
        structuredMetadata: Object.entries(meta ?? {}).map(([name, value]) => ({ name, value })),
      })),
    })),
  });
  return snappy.compress(toBinary(PushRequestSchema, msg));
}

export async function push(url: string, body: BodyInit | Uint8Array, headers: Record<string, string> = {}, path = "/loki/api/v1/push") {
  const res = await fetch(url + path, { method: "POST", body: body as BodyInit, headers });
  return { status: res.status, text: await res.text() };
}
