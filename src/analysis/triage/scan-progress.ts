/** Stderr lines of a running scan: the progress text, and notes that must not run into a progress line. */

import { formatCount } from "../../common/format.ts";

export function scanProgressText(label: string, scanned: number, expected: number): string {
  if (expected <= 0) return `${label}: ${formatCount(scanned)} lines`;
  return `${label}: ${formatCount(scanned)} / ${formatCount(expected)} lines (${Math.min(100, Math.floor((scanned / expected) * 100))}%)`;
}

export function stderrNote(text: string): void {
  process.stderr.write(`${process.stderr.isTTY ? "\r\x1b[2K" : ""}${text}\n`);
}
