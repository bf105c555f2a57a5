/** Text and JSON layouts of upload and download (upstream §19.2, §19.3; `skipped` is ours: objects resume found complete). */

import { goDuration } from "../analysis/diff/go-text.ts";
import { goJsonDocument } from "../capture/go-json.ts";
import { formatBytes } from "../common/format.ts";
import { METADATA_FILE } from "../capture/data-files.ts";
import type { DownloadResult } from "./download.ts";
import type { UploadResult } from "./upload.ts";
import { objectKey, type CloudUrl } from "./url.ts";

function skippedNote(skipped: number, verb: string): string {
  return skipped === 0 ? "" : `; ${skipped} ${skipped === 1 ? "was" : "were"} already ${verb} with the same size and SHA-256`;
}

/** stderr after an upload. */
export function uploadedText(r: UploadResult): string {
  return `Uploaded ${r.files} files (${formatBytes(r.bytes)})${skippedNote(r.skipped, "there")}\n`;
}

/** stdout after an upload without --share. */
export function destinationText(destination: string): string {
  return `Destination: ${destination}\n`;
}

export function uploadJson(r: UploadResult, source: string, destination: string): string {
  return goJsonDocument({ bytes: r.bytes, destination, files: r.files, skipped: r.skipped, source }, false);
}

export interface Shared {
  urls: Record<string, string>;
  expiryMs: number;
  expires: Date;
}

/** stdout after `upload --share`: the link to hand over is the metadata's, as upstream prints it. */
export function sharedText(s: Shared, url: CloudUrl): string {
  const meta = s.urls[objectKey(url.prefix, METADATA_FILE)];
  const n = Object.keys(s.urls).length;
  return `Shared ${n} files (expires in ${goDuration(BigInt(s.expiryMs) * 1_000_000n)})\n${meta === undefined ? "" : `Metadata: ${meta}\n`}`;
}

export function sharedJson(r: UploadResult, destination: string, s: Shared): string {
  const expires = s.expires.toISOString().replace(/\.\d+Z$/, "Z");
  return goJsonDocument({ bytes: r.bytes, destination, expires, files: r.files, share_urls: s.urls, skipped: r.skipped }, false);
}

/** stderr after a download. */
export function downloadedText(r: DownloadResult, out: string): string {
  return `Downloaded ${r.files} files (${formatBytes(r.bytes)}) to ${out}${skippedNote(r.skipped, "complete")}\n`;
}

export function downloadJson(r: DownloadResult, source: string, out: string): string {
  return goJsonDocument({ bytes: r.bytes, files: r.files, output: out, skipped: r.skipped, source }, false);
}
