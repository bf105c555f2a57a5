/**
 * Loki protobuf `PushRequest` bytes (before snappy) for a push's streams — the inverse of decode-proto.ts, written
 * with protobuf-es's wire-level BinaryWriter so no message objects or BigInts are built per line.
 *
 * PushRequest{1: repeated StreamAdapter}; StreamAdapter{1: string labels; 2: repeated EntryAdapter};
 * EntryAdapter{1: Timestamp; 2: string line; 3: repeated LabelPairAdapter structuredMetadata};
 * Timestamp{1: int64 seconds; 2: int32 nanos}; LabelPairAdapter{1: string name; 2: string value}
 */

import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { labelString, type PushStream } from "./push-streams.ts";

const LEN = WireType.LengthDelimited;
const VARINT = WireType.Varint;

export function encodePushProto(streams: readonly PushStream[]): Uint8Array {
  const w = new BinaryWriter();
  for (const s of streams) {
    w.tag(1, LEN).fork();
    w.tag(1, LEN).string(labelString(s.labels));
    for (const e of s.entries) {
      w.tag(2, LEN).fork();
      w.tag(1, LEN).fork();
      // proto3 leaves zero fields out, as Go's encoder does.
      if (e.sec !== 0) w.tag(1, VARINT).int64(e.sec);
      if (e.nsec !== 0) w.tag(2, VARINT).int32(e.nsec);
      w.join();
      if (e.msg !== "") w.tag(2, LEN).string(e.msg);
      if (e.meta) {
        for (const name of Object.keys(e.meta)) {
          w.tag(3, LEN).fork().tag(1, LEN).string(name).tag(2, LEN).string(e.meta[name]!).join();
        }
      }
      w.join();
    }
    w.join();
  }
  return w.finish();
}
