/** `POST /api/prom/push`: Loki's deprecated endpoint; JSON uses the legacy shape (labels string, entries[{ts,line}]). */

import { decodeLegacy } from "../../protocols/loki/decode-legacy.ts";
import { decodeProto } from "../../protocols/loki/decode-proto.ts";
import { isJsonContentType, unsnappy } from "./loki-push.ts";
import { pushHandler } from "./push-handler.ts";

export const promLegacyPush = pushHandler("loki_push_received", (body, req, limits) =>
  isJsonContentType(req) ? decodeLegacy(body) : decodeProto(unsnappy(body, limits.maxDecoded)),
);
