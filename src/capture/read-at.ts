/** A positioned read that tolerates short reads: exactly `length` bytes, or fewer only at the end of the file. */

import { readSync } from "node:fs";

export function readAt(fd: number, offset: number, length: number): Uint8Array {
  return readInto(fd, new Uint8Array(length), offset, length);
}

/** `readAt` into a caller's buffer (reused across reads); returns the view of the bytes read. */
export function readInto(fd: number, buf: Uint8Array, offset: number, length: number): Uint8Array {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** One buffer that positioned reads go into, grown as needed: for readers done with each read before the next. */
export class ReusedReadBuffer {
  #buf = new Uint8Array(1 << 18);

  read(fd: number, offset: number, length: number): Uint8Array {
    if (this.#buf.length < length) this.#buf = new Uint8Array(length * 2);
    return readInto(fd, this.#buf, offset, length);
  }
}
