/**
 * SHA-256 of a file read in 1 MiB pieces, so a multi-GB data file never has to fit in memory. Only regular files
 * are hashed: a symlink (even to an identical copy) is not the file that was signed, and a FIFO would block.
 */

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;

export interface FileDigest {
  sha256: string;
  bytes: number;
}

export class NotRegularFileError extends Error {}

export function hashFile(path: string): FileDigest {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new NotRegularFileError(`${path} is not a regular file`);
    const hasher = new Bun.CryptoHasher("sha256");
    // update() consumes the bytes before returning, so one buffer serves every read.
    const buf = Buffer.allocUnsafe(CHUNK);
    let bytes = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hasher.update(buf.subarray(0, n));
      bytes += n;
    }
    return { sha256: hasher.digest("hex"), bytes };
  } finally {
    closeSync(fd);
  }
}
