/** Loki protobuf push body, snappy already removed (protocols-and-peers.md §1 "Protobuf body"; Loki pkg/push/push.proto). */

import { clone, create, createFileRegistry, fromBinary, type DescMessage } from "@bufbuild/protobuf";
import {
  FeatureSet_Utf8Validation,
  FileDescriptorProtoSchema,
  FileOptionsSchema,
  file_google_protobuf_timestamp,
} from "@bufbuild/protobuf/wkt";
import type { Entry } from "../../../pipeline/entry.ts";
import { nowInstant } from "../../capture/timestamp.ts";
import { PushDecodeError } from "../push-decode-error.ts";
import { setOwn } from "../labels-interner.ts";
import { file_push, type LabelPairAdapter, type PushRequest } from "./gen/push_pb.ts";
import { parseLabelString } from "./label-string.ts";

/**
 * The generated schema with UTF-8 validation off. proto3 makes protobuf-es reject a push whose strings hold invalid
 * UTF-8, but Loki (gogoproto) accepts them, and real log lines do contain stray bytes: one such line would turn the
 * whole batch into a 400 that clients drop. Invalid sequences become U+FFFD instead.
 */
const LenientPushRequest: DescMessage = (() => {
  const file = clone(FileDescriptorProtoSchema, file_push.proto);
  file.options = create(FileOptionsSchema, { features: { utf8Validation: FeatureSet_Utf8Validation.NONE } });
  const registry = createFileRegistry(file, (name) =>
    name === file_google_protobuf_timestamp.proto.name ? file_google_protobuf_timestamp : undefined,
  );
  return registry.getMessage("logproto.PushRequest")!;
})();

// google.protobuf.Timestamp's valid range (0001-01-01 … 9999-12-31), which gogoproto enforces when Loki decodes.
const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;

/**
 * `PushRequest` bytes → entries. Each stream's label string is parsed once (and interned, so repeat pushes skip even
 * that); an entry without a timestamp gets the receive time; `parsed` is query-side only and ignored.
 */
export function decodeProto(body: Uint8Array): Entry[] {
  let request: PushRequest;
  try {
    request = fromBinary(LenientPushRequest, body, { readUnknownFields: false }) as unknown as PushRequest;
  } catch (err) {
    throw new PushDecodeError(`invalid protobuf: ${err instanceof Error ? err.message : String(err)}`);
  }
  const entries: Entry[] = [];
  for (const stream of request.streams) {
    const labels = parseLabelString(stream.labels);
    const adapters = stream.entries;
    for (let i = 0; i < adapters.length; i++) {
      const adapter = adapters[i]!;
      const ts = adapter.timestamp;
      let sec: number;
      let nsec: number;
      if (ts === undefined) {
        const now = nowInstant();
        sec = now.sec;
        nsec = now.nsec;
      } else {
        sec = Number(ts.seconds);
        nsec = ts.nanos;
        if (sec < MIN_SECONDS || sec > MAX_SECONDS || nsec < 0 || nsec > 999_999_999) {
          throw new PushDecodeError(`invalid protobuf: timestamp out of range (seconds ${ts.seconds}, nanos ${nsec})`);
        }
      }
      entries.push(
        adapter.structuredMetadata.length === 0
          ? { sec, nsec, labels, msg: adapter.line }
          : { sec, nsec, labels, msg: adapter.line, meta: metaOf(adapter.structuredMetadata) },
      );
    }
  }
  return entries;
}

function metaOf(pairs: LabelPairAdapter[]): Record<string, string> {
  let ordered = pairs;
  for (let i = 1; i < pairs.length; i++) {
    if (pairs[i - 1]!.name > pairs[i]!.name) {
      ordered = pairs.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      break;
    }
  }
  const meta: Record<string, string> = {};
  for (const pair of ordered) setOwn(meta, pair.name, pair.value);
  return meta;
}
