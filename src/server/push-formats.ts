/** The push body formats decoded off the main thread, by name (what a handler asks the decode pool for). */

import type { Entry } from "../model/entry.ts";
import { decodeJson } from "../protocols/loki/decode-json.ts";
import { decodeLegacy } from "../protocols/loki/decode-legacy.ts";
import { decodeProto } from "../protocols/loki/decode-proto.ts";
import { decodeRawNdjson } from "../protocols/raw/decode-ndjson.ts";
import { decodeOtlpJson } from "../protocols/otlp/decode-json.ts";
import { decodeOtlpProtobuf } from "../protocols/otlp/decode-proto.ts";
import type { DecodedLogs } from "../protocols/otlp/logs-to-entries.ts";
import { unsnappy } from "./unsnappy.ts";

/** Every format decodes to entries; OTLP also reports records it could not take (its partial success). */
export type DecodedBody = Entry[] | DecodedLogs;

export const PUSH_DECODERS = {
  /** Snappy-block protobuf `PushRequest` (Loki's own clients, Alloy, Promtail, Vector). */
  "loki-proto": (body: Uint8Array, maxDecoded: number) => decodeProto(unsnappy(body, maxDecoded)),
  "loki-json": (body: Uint8Array) => decodeJson(body),
  "legacy-json": (body: Uint8Array) => decodeLegacy(body),
  "raw-ndjson": (body: Uint8Array) => decodeRawNdjson(body),
  "otlp-proto": (body: Uint8Array) => decodeOtlpProtobuf(body),
  "otlp-json": (body: Uint8Array) => decodeOtlpJson(body),
} satisfies Record<string, (body: Uint8Array, maxDecoded: number) => DecodedBody>;

export type PushFormat = keyof typeof PUSH_DECODERS;
