/** Snappy block decompression of a push body, with Loki's answers: 413 above the decoded limit, 400 when corrupt. */

import { SnappyDecompressor } from "snappyjs/snappy_decompressor.js";
import { PushDecodeError } from "../protocols/push-decode-error.ts";
import { HttpError } from "./http-error.ts";

// snappyjs's `uncompress` allocates a fresh output per call (1.2 MB for a typical push); a decode worker reuses one.
// It is zeroed before each use, as a fresh buffer would be: snappyjs does not check that a block fills its declared
// length, and a short block must not expose the previous push's bytes.
let output = new Uint8Array(0);

/**
 * The decompressed body, as a view of a buffer that the next call overwrites: decode it before decompressing another
 * (the protobuf decoder copies every string out).
 */
export function unsnappy(body: Uint8Array, maxDecoded: number): Uint8Array {
  const d = new SnappyDecompressor(body);
  const length = d.readUncompressedLength();
  if (length === -1) throw new PushDecodeError("invalid snappy body: Invalid Snappy bitstream");
  if (length > maxDecoded) throw new HttpError(413, `decompressed body exceeds ${maxDecoded} bytes`);
  if (output.length < length) output = new Uint8Array(Math.max(length, output.length * 2));
  const view = output.subarray(0, length);
  view.fill(0);
  if (!d.uncompressToBuffer(view)) throw new PushDecodeError("invalid snappy body: Invalid Snappy bitstream");
  // One huge push must not pin its buffer for the life of the worker.
  if (output.length > MAX_KEPT) output = new Uint8Array(0);
  return view;
}

const MAX_KEPT = 64 << 20;
