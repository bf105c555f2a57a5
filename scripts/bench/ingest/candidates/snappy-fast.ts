/**
 * Candidate replacement for `snappyjs.uncompress` (snappy *block* format, as Loki bodies use). Same algorithm, but
 * long literals and non-overlapping back-references are copied with native `set`/`copyWithin` instead of a
 * byte-at-a-time JS loop, and every bound is checked (snappyjs silently drops out-of-range writes and never checks
 * that the output was filled). Benchmark-only prototype; see docs/benchmarks.md (Ingest).
 */

export class SnappyError extends Error {}

/** Native copies pay off above this many bytes; below it a plain loop is cheaper than the call. */
const NATIVE_COPY_MIN = 16;

export function uncompressFast(src: Uint8Array, maxLength: number): Uint8Array {
  const n = src.length;
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= n || shift > 28) throw new SnappyError("Invalid Snappy bitstream");
    const c = src[pos++]!;
    length += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) break;
  }
  if (length > 0xffffffff) throw new SnappyError("Invalid Snappy bitstream");
  if (length > maxLength) throw new SnappyError(`The uncompressed length of ${length} is too big, expect at most ${maxLength}`);
  const out = new Uint8Array(length);
  let op = 0;
  while (pos < n) {
    const c = src[pos++]!;
    const tag = c & 3;
    if (tag === 0) {
      let len = (c >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (pos + extra > n) throw new SnappyError("Invalid Snappy bitstream");
        len = src[pos]!;
        if (extra > 1) len |= src[pos + 1]! << 8;
        if (extra > 2) len |= src[pos + 2]! << 16;
        if (extra > 3) len += src[pos + 3]! * 0x1000000;
        len += 1;
        pos += extra;
      }
      if (pos + len > n || op + len > length) throw new SnappyError("Invalid Snappy bitstream");
      if (len >= NATIVE_COPY_MIN) out.set(src.subarray(pos, pos + len), op);
      else for (let i = 0; i < len; i++) out[op + i] = src[pos + i]!;
      pos += len;
      op += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (tag === 1) {
      if (pos >= n) throw new SnappyError("Invalid Snappy bitstream");
      len = ((c >>> 2) & 7) + 4;
      offset = ((c >>> 5) << 8) | src[pos]!;
      pos += 1;
    } else if (tag === 2) {
      if (pos + 1 >= n) throw new SnappyError("Invalid Snappy bitstream");
      len = (c >>> 2) + 1;
      offset = src[pos]! | (src[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 3 >= n) throw new SnappyError("Invalid Snappy bitstream");
      len = (c >>> 2) + 1;
      offset = (src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16)) + src[pos + 3]! * 0x1000000;
      pos += 4;
    }
    if (offset === 0 || offset > op || op + len > length) throw new SnappyError("Invalid Snappy bitstream");
    const from = op - offset;
    if (offset >= len && len >= NATIVE_COPY_MIN) out.copyWithin(op, from, from + len);
    else for (let i = 0; i < len; i++) out[op + i] = out[from + i]!;
    op += len;
  }
  if (op !== length) throw new SnappyError("Invalid Snappy bitstream");
  return out;
}
