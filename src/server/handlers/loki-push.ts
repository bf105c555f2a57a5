/**
 * `POST /loki/api/v1/push` as Loki decides it (pkg/loghttp/push/push.go): `application/json` is the v1 JSON body;
 * any other or missing Content-Type is snappy-block protobuf.
 */

import snappy from "snappyjs";
import { decodeJson } from "../../protocols/loki/decode-json.ts";
import { decodeProto } from "../../protocols/loki/decode-proto.ts";
import { PushDecodeError } from "../../protocols/push-decode-error.ts";
import { HttpError } from "../http-error.ts";
import { pushHandler } from "./push-handler.ts";

export function isJsonContentType(req: Request): boolean {
  const ct = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  return ct === "application/json";
}

export function unsnappy(body: Uint8Array, maxDecoded: number): Uint8Array {
  try {
    return snappy.uncompress(body, maxDecoded);
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.includes("too big")) throw new HttpError(413, `decompressed body exceeds ${maxDecoded} bytes`);
    throw new PushDecodeError(`invalid snappy body: ${msg}`);
  }
}

export const lokiPush = pushHandler("loki_push_received", (body, req, limits) =>
  isJsonContentType(req) ? decodeJson(body) : decodeProto(unsnappy(body, limits.maxDecoded)),
);
