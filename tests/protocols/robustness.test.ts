import { describe, expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { PushDecodeError } from "../../src/protocols/push-decode-error.ts";
import { PushRequestSchema } from "../../src/protocols/loki/gen/push_pb.ts";
import { decodeJson } from "../../src/protocols/loki/decode-json.ts";
import { decodeLegacy } from "../../src/protocols/loki/decode-legacy.ts";
import { decodeProto } from "../../src/protocols/loki/decode-proto.ts";
import { decodeRawNdjson } from "../../src/protocols/raw/decode-ndjson.ts";
import { json } from "./helpers.ts";

const samples: Record<string, [(body: Uint8Array) => unknown, Uint8Array]> = {
  decodeJson: [decodeJson, json({ streams: [{ stream: { app: "web" }, values: [["1", "line", { k: "v" }]] }] })],
  decodeLegacy: [decodeLegacy, json({ streams: [{ labels: '{app="web"}', entries: [{ ts: "2024-01-01T00:00:00Z", line: "x" }] }] })],
  decodeRawNdjson: [decodeRawNdjson, json({ ts: "2024-01-01T00:00:00Z", labels: { a: "b" }, msg: "x", meta: { k: "v" } })],
  decodeProto: [
    decodeProto,
    toBinary(
      PushRequestSchema,
      create(PushRequestSchema, {
        streams: [{ labels: '{app="web"}', entries: [{ timestamp: { seconds: 1n }, line: "x", structuredMetadata: [{ name: "k", value: "v" }] }] }],
      }),
    ),
  ],
};

/** Deterministic xorshift so a failure reproduces. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

describe("decoders throw nothing but PushDecodeError on hostile input", () => {
  for (const [name, [decode, valid]] of Object.entries(samples)) {
    test(`${name}: every truncation and 2,000 random corruptions of a valid body`, () => {
      const bodies: Uint8Array[] = [];
      for (let n = 0; n < valid.length; n++) bodies.push(valid.subarray(0, n));
      const rand = random(0x9e3779b9);
      for (let k = 0; k < 2000; k++) {
        const body = valid.slice();
        for (let flips = 1 + Math.floor(rand() * 3); flips > 0; flips--) {
          body[Math.floor(rand() * body.length)] = Math.floor(rand() * 256);
        }
        bodies.push(body);
      }
      for (const body of bodies) {
        try {
          decode(body);
        } catch (err) {
          if (!(err instanceof PushDecodeError)) throw new Error(`${name} threw ${String(err)} for ${Array.from(body)}`);
          expect(err.message).not.toContain("\n");
        }
      }
    });
  }
});
