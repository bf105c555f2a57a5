/** OTLP/HTTP protobuf body (`Content-Type: application/x-protobuf`): an `ExportLogsServiceRequest`, decompressed. */

import { clone, create, createFileRegistry, fromBinary, type DescMessage } from "@bufbuild/protobuf";
import {
  FeatureSet_Utf8Validation,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  FileOptionsSchema,
} from "@bufbuild/protobuf/wkt";
import { PushDecodeError } from "../push-decode-error.ts";
import {
  file_opentelemetry_proto_collector_logs_v1_logs_service,
  type ExportLogsServiceRequest,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { file_opentelemetry_proto_common_v1_common } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
import { file_opentelemetry_proto_logs_v1_logs } from "./gen/opentelemetry/proto/logs/v1/logs_pb.ts";
import { file_opentelemetry_proto_resource_v1_resource } from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
import { logsToEntries, type DecodedLogs } from "./logs-to-entries.ts";

/**
 * The generated schema with UTF-8 validation off (as the Loki decoder does): proto3 makes protobuf-es reject a
 * request whose strings hold invalid UTF-8, while the collector's pdata (and so Loki) accepts them. One stray byte in
 * one log line must not turn the whole batch into a 400; invalid sequences become U+FFFD instead.
 */
const LenientExportLogsServiceRequest: DescMessage = (() => {
  const files = [
    file_opentelemetry_proto_common_v1_common,
    file_opentelemetry_proto_resource_v1_resource,
    file_opentelemetry_proto_logs_v1_logs,
    file_opentelemetry_proto_collector_logs_v1_logs_service,
  ].map((f) => {
    const file = clone(FileDescriptorProtoSchema, f.proto);
    file.options = create(FileOptionsSchema, { features: { utf8Validation: FeatureSet_Utf8Validation.NONE } });
    return file;
  });
  const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: files }));
  return registry.getMessage("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest")!;
})();

/**
 * Request bytes → entries. A body that isn't a valid `ExportLogsServiceRequest` rejects the whole request; a record
 * that decodes but can't be taken (a trace id of the wrong length, a body of an unknown value kind) is only counted.
 */
export function decodeOtlpProtobuf(body: Uint8Array): DecodedLogs {
  let request: ExportLogsServiceRequest;
  try {
    // Unknown fields are kept (only when present): they are how a body of a newer value kind is recognised.
    request = fromBinary(LenientExportLogsServiceRequest, body) as unknown as ExportLogsServiceRequest;
  } catch (err) {
    throw new PushDecodeError(`invalid protobuf: ${err instanceof Error ? err.message : String(err)}`);
  }
  return logsToEntries(request.resourceLogs);
}
