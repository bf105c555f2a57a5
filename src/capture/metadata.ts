/** `metadata.json` (upstream §2.4): written when a capture starts and rewritten when it stops. */

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { METADATA_FILE } from "./data-files.ts";
import { FILE_MODE } from "./file-modes.ts";
import { ZERO_TIME_TEXT } from "./timestamp.ts";
import { goJson } from "./go-json.ts";

export interface Redaction {
  enabled: boolean;
  patterns: string[];
}

export interface Metadata {
  version: number;
  format: string;
  started: string;
  stopped: string;
  total_lines: number;
  total_bytes: number;
  labels_seen: string[] | null;
  redaction?: Redaction;
}

export function newMetadata(started: string, redaction?: Redaction): Metadata {
  const m: Metadata = {
    version: 1,
    format: "jsonl",
    started,
    stopped: ZERO_TIME_TEXT,
    total_lines: 0,
    total_bytes: 0,
    labels_seen: null,
  };
  if (redaction !== undefined) m.redaction = redaction;
  return m;
}

/** Go's MarshalIndent layout (2 spaces, no trailing newline, `<>&` escaped) so upstream diffs stay byte-identical. */
export function formatMetadata(m: Metadata): string {
  return goJson(m, 2);
}

export function writeMetadata(dir: string, m: Metadata): void {
  const path = join(dir, METADATA_FILE);
  const tmp = path + ".tmp";
  writeFileSync(tmp, formatMetadata(m), { mode: FILE_MODE });
  renameSync(tmp, path);
}

export class MetadataError extends Error {}

/** Throws MetadataError with upstream's wording (`read metadata: …` → not found, `unmarshal metadata: …`). */
export function readMetadata(dir: string): Metadata {
  const path = join(dir, METADATA_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MetadataError(
      code === "ENOENT" ? `read metadata: open ${path}: no such file or directory` : `read metadata: ${(e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as Metadata;
  } catch (e) {
    throw new MetadataError(`unmarshal metadata: ${(e as Error).message}`);
  }
}
