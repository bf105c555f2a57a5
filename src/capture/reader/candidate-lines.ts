/**
 * The lines of a decompressed frame that contain one of a few literals, found as bytes (memmem), so every other
 * line is never turned into a string. Shared by the reader's in-thread path and its search workers.
 */

/** Flat `[start, end, start, end, …]` byte ranges of the matching lines, each line once, in file order. */
export function candidateLineRanges(buf: Buffer, literals: readonly Buffer[]): number[] {
  const ranges: number[] = [];
  for (const lit of literals) {
    let at = buf.indexOf(lit);
    while (at >= 0) {
      const start = buf.lastIndexOf(10, at) + 1;
      let end = buf.indexOf(10, at);
      if (end < 0) end = buf.length;
      ranges.push(start, end);
      at = buf.indexOf(lit, end);
    }
  }
  if (literals.length < 2) return ranges;
  // Several literals can hit one line; keep each line once, in file order.
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i]!, ranges[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [s, e] of pairs) if (out.length === 0 || out[out.length - 2] !== s) out.push(s, e);
  return out;
}

const decoder = new TextDecoder();

export function candidateLines(bytes: Uint8Array, literals: readonly Buffer[]): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const ranges = candidateLineRanges(buf, literals);
  const lines: string[] = new Array(ranges.length / 2);
  for (let i = 0; i < ranges.length; i += 2) lines[i / 2] = decoder.decode(buf.subarray(ranges[i]!, ranges[i + 1]!));
  return lines;
}
