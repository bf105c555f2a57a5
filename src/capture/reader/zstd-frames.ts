/**
 * Finds the frame boundaries of a zstd file (RFC 8878 §3.1) without decompressing, so each frame can be decoded
 * on its own: a corrupt frame costs only itself, and a torn tail (crash mid-write) is recognised as such.
 */

const MAGIC = 0xfd2fb528;
const SKIPPABLE_MIN = 0x184d2a50;
const SKIPPABLE_MAX = 0x184d2a5f;

export type FrameSpan =
  | { kind: "frame"; offset: number; length: number }
  /** Bytes that are not a frame; scanning resumed at the next magic number. */
  | { kind: "garbage"; offset: number; length: number }
  /** A frame that starts but runs past the end of the data. */
  | { kind: "truncated"; offset: number; length: number };

function u32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

/** Length of the frame at `off`, or -1 if it runs past the end, or -2 if its header is invalid. */
function frameLength(b: Uint8Array, off: number): number {
  const magic = u32(b, off);
  if (magic >= SKIPPABLE_MIN && magic <= SKIPPABLE_MAX) {
    if (off + 8 > b.length) return -1;
    const end = off + 8 + u32(b, off + 4);
    return end > b.length ? -1 : end - off;
  }
  if (magic !== MAGIC) return -2;
  let p = off + 4;
  if (p >= b.length) return -1;
  const fhd = b[p++]!;
  if (fhd & 0x08) return -2; // reserved bit must be zero
  const singleSegment = (fhd >> 5) & 1;
  const fcsFlag = fhd >> 6;
  const dictFlag = fhd & 3;
  const checksum = (fhd >> 2) & 1;
  p += singleSegment ? 0 : 1;
  p += [0, 1, 2, 4][dictFlag]!;
  p += fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag]!;
  for (;;) {
    if (p + 3 > b.length) return -1;
    const h = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16);
    p += 3;
    const last = h & 1;
    const type = (h >> 1) & 3;
    const size = h >>> 3;
    if (type === 3) return -2;
    p += type === 1 ? 1 : size;
    if (p > b.length) return -1;
    if (last) break;
  }
  p += checksum ? 4 : 0;
  return p > b.length ? -1 : p - off;
}

function nextMagic(b: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= b.length; i++) {
    if (b[i] === 0x28 && b[i + 1] === 0xb5 && b[i + 2] === 0x2f && b[i + 3] === 0xfd) return i;
  }
  return b.length;
}

export function scanZstdFrames(b: Uint8Array): FrameSpan[] {
  const spans: FrameSpan[] = [];
  let off = 0;
  while (off < b.length) {
    if (b.length - off < 4) {
      spans.push({ kind: "truncated", offset: off, length: b.length - off });
      break;
    }
    const len = frameLength(b, off);
    if (len > 0) {
      spans.push({ kind: "frame", offset: off, length: len });
      off += len;
    } else if (len === -1) {
      // A later magic number means this frame is damaged, not the end of a file cut mid-write.
      const next = nextMagic(b, off + 1);
      spans.push({ kind: next < b.length ? "garbage" : "truncated", offset: off, length: next - off });
      off = next;
    } else {
      const next = nextMagic(b, off + 1);
      spans.push({ kind: "garbage", offset: off, length: next - off });
      off = next;
    }
  }
  return spans;
}
