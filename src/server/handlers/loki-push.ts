/**
 * `POST /loki/api/v1/push` as Loki decides it (pkg/loghttp/push/push.go): `application/json` is the v1 JSON body;
 * any other or missing Content-Type is snappy-block protobuf.
 */

import { pushHandler } from "./push-handler.ts";

export function isJsonContentType(req: Request): boolean {
  const ct = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  return ct === "application/json";
}

export const lokiPush = pushHandler("loki_push_received", (req) => (isJsonContentType(req) ? "loki-json" : "loki-proto"));
