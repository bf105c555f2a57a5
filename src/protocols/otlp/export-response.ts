/**
 * OTLP/HTTP replies (opentelemetry-proto docs/specification.md §OTLP/HTTP Response), always in the request's
 * encoding: success = 200 with an `ExportLogsServiceResponse` (empty on full success, `partial_success` when some
 * records were not taken); failure = the HTTP status with a `google.rpc.Status` body.
 */

import { create, toBinary } from "@bufbuild/protobuf";
import { StatusSchema } from "./gen/google/rpc/status_pb.ts";
import { ExportLogsServiceResponseSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";

export type OtlpFormat = "protobuf" | "json";

export const CONTENT_TYPE: Readonly<Record<OtlpFormat, string>> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

const EMPTY_PROTOBUF = toBinary(ExportLogsServiceResponseSchema, create(ExportLogsServiceResponseSchema));

export function exportResponse(format: OtlpFormat, rejected: number, errorMessage: string): Response {
  let body: Uint8Array | string;
  if (rejected === 0) {
    body = format === "protobuf" ? EMPTY_PROTOBUF : "{}";
  } else if (format === "protobuf") {
    const message = create(ExportLogsServiceResponseSchema, {
      partialSuccess: { rejectedLogRecords: BigInt(rejected), errorMessage },
    });
    body = toBinary(ExportLogsServiceResponseSchema, message);
  } else {
    // int64 as a string, as proto3 JSON writes it (OTLP/JSON readers take strings and numbers).
    body = JSON.stringify({ partialSuccess: { rejectedLogRecords: String(rejected), errorMessage } });
  }
  return new Response(body as BodyInit, { status: 200, headers: { "content-type": CONTENT_TYPE[format] } });
}

/** google.rpc.Code for an HTTP failure status (the codes gRPC's HTTP mapping pairs with them). */
function rpcCode(status: number): number {
  switch (status) {
    case 413:
    case 429:
      return 8; // RESOURCE_EXHAUSTED
    case 503:
      return 14; // UNAVAILABLE
    default:
      return status >= 500 ? 13 /* INTERNAL */ : 3; /* INVALID_ARGUMENT */
  }
}

export function statusResponse(format: OtlpFormat, status: number, message: string): Response {
  const code = rpcCode(status);
  const body =
    format === "protobuf" ? toBinary(StatusSchema, create(StatusSchema, { code, message })) : JSON.stringify({ code, message });
  return new Response(body as BodyInit, { status, headers: { "content-type": CONTENT_TYPE[format] } });
}
