/** Stage: entries → capture JSONL bytes (one buffer per batch), the form every capture sink writes. */

import type { EntryBatch } from "../entry.ts";
import type { JsonlBatch } from "../jsonl-batch.ts";
import { encodeEntryLine } from "../../src/capture/entry-line.ts";

const encoder = new TextEncoder();

export function encodeJsonlBatch(batch: EntryBatch): JsonlBatch {
  const { entries } = batch;
  const lines = new Array<string>(entries.length);
  const ends = new Uint32Array(entries.length);
  let chars = 0;
  for (let i = 0; i < entries.length; i++) {
    const line = encodeEntryLine(entries[i]!) + "\n";
    lines[i] = line;
    chars += line.length;
    ends[i] = chars;
  }
  const bytes = encoder.encode(lines.join(""));
  // Pure-ASCII batches (the common case) have byte offsets equal to character offsets; only others need counting.
  if (bytes.length !== chars) {
    let off = 0;
    for (let i = 0; i < lines.length; i++) {
      off += Buffer.byteLength(lines[i]!);
      ends[i] = off;
    }
  }
  return { entries, bytes, ends };
}

/**
 * @example
 * source.pipeThrough(new EncodeJsonlStream()).pipeTo(captureSink)
 */
export class EncodeJsonlStream extends TransformStream<EntryBatch, JsonlBatch> {
  constructor() {
    super({
      transform(batch, controller) {
        if (batch.entries.length > 0) controller.enqueue(encodeJsonlBatch(batch));
      },
    });
  }
}
