/** Snappy block decompression of a push body, with Loki's answers: 413 above the decoded limit, 400 when corrupt. */

import snappy from "snappyjs";
import { PushDecodeError } from "../protocols/push-decode-error.ts";
import { HttpError } from "./http-error.ts";

export function unsnappy(body: Uint8Array, maxDecoded: number): Uint8Array {
  try {
    return snappy.uncompress(body, maxDecoded);
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.includes("too big")) throw new HttpError(413, `decompressed body exceeds ${maxDecoded} bytes`);
    throw new PushDecodeError(`invalid snappy body: ${msg}`);
  }
}
