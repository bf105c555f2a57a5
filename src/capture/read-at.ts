/** A positioned read that tolerates short reads: exactly `length` bytes, or fewer only at the end of the file. */

import { readSync } from "node:fs";

export function readAt(fd: number, offset: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}
