/**
 * The lines of a decompressed frame that contain one of a few literals, found as bytes (memmem), so every other
 * line is never turned into a string. Shared by the reader's in-thread path and its search workers.
 */

import type { LiteralScanner } from "../../scan/literal-scanner.ts";

/** Flat `[start, end, start, end, …]` byte ranges of the matching lines, each line once, in file order. */
export function candidateLineRanges(buf: Buffer, literals: readonly Buffer[]): number[] {
  const ranges: number[] = [];
  for (const lit of literals) {
    let at = buf.indexOf(lit);
    while (at >= 0) at = buf.indexOf(lit, pushLineAround(buf, at, ranges));
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
  return decodeLines(buf, candidateLineRanges(buf, literals));
}

/**
 * The lines of a frame holding one of the occurrences a literal scanner found in it (literal-scanner.ts: offsets in
 * increasing order; its literals hold no newline, so an occurrence lies within one line).
 */
export function scannedCandidateLines(bytes: Uint8Array, scanner: LiteralScanner): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const starts = scanner.scan(bytes);
  const ranges: number[] = [];
  let lineEnd = -1;
  for (let k = 0; k < starts.length; k++) if (starts[k]! > lineEnd) lineEnd = pushLineAround(buf, starts[k]!, ranges);
  return decodeLines(buf, ranges);
}

/** Adds the range of the line holding byte `at` (without its newline) to `ranges`; returns the line's end. */
function pushLineAround(buf: Buffer, at: number, ranges: number[]): number {
  const start = buf.lastIndexOf(10, at) + 1;
  let end = buf.indexOf(10, at);
  if (end < 0) end = buf.length;
  ranges.push(start, end);
  return end;
}

function decodeLines(buf: Buffer, ranges: readonly number[]): string[] {
  const lines: string[] = new Array(ranges.length / 2);
  for (let i = 0; i < ranges.length; i += 2) lines[i / 2] = decoder.decode(buf.subarray(ranges[i]!, ranges[i + 1]!));
  return lines;
}

/**
 * The lines of a frame holding a match of a case-insensitive ASCII prefilter (required-literals.ts gives those only
 * for ASCII literals), searched in a latin1 view: one character per byte, so match positions are byte offsets and
 * only the matching lines are decoded. Without the `u` flag JS folds no non-ASCII character to an ASCII one, so the
 * view finds exactly the lines the regex finds in the decoded text.
 */
export function regexCandidateLines(bytes: Uint8Array, re: RegExp): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const text = buf.toString("latin1");
  const lines: string[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = text.lastIndexOf("\n", m.index - 1) + 1;
    let end = text.indexOf("\n", m.index);
    if (end < 0) end = text.length;
    lines.push(decoder.decode(buf.subarray(start, end)));
    re.lastIndex = end + 1;
  }
  return lines;
}
