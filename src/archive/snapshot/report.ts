/** What `snapshot` prints (upstream §17): a line on stderr, or with --json one compact object (keys sorted, as Go's map encoding) on stdout. */

import { formatBytes } from "../../common/format.ts";
import { goJsonDocument as goJson } from "../../capture/go-json.ts";

export function packedText(out: string, bytes: number): string {
  return `Snapshot saved to ${out} (${formatBytes(bytes)})\n`;
}

export function packedJson(source: string, out: string, bytes: number): string {
  return goJson({ bytes, operation: "pack", output: out, source }, false);
}

export function extractedText(out: string): string {
  return `Extracted to ${out}\n`;
}

export function extractedJson(source: string, out: string): string {
  return goJson({ operation: "extract", output: out, source }, false);
}
