/** `metadata.json` (upstream §2.4): written when a capture starts and rewritten when it stops. */

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
  try {
    writeFileSync(tmp, formatMetadata(m), { mode: FILE_MODE });
    renameSync(tmp, path);
  } catch (e) {
    // A full disk: the old metadata.json stays as it was, and no empty .tmp is left beside it.
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * The metadata a receiver starts with in `dir`. Upstream overwrote an existing capture's metadata.json, so a second
 * run lost the first's start, counts and label keys, and a run with `--redact` over a capture taken without it
 * claimed the older lines redacted (which `upload --share` trusts). Here the earlier capture's start and totals are
 * kept (`finishedMetadata` adds the new run's), and redaction is claimed only for the patterns both runs applied.
 * An unreadable metadata.json counts as a capture that was not redacted.
 */
export function startMetadata(dir: string, started: string, redaction?: Redaction): Metadata {
  const fresh = newMetadata(started, redaction);
  if (!existsSync(join(dir, METADATA_FILE))) return fresh;
  const { redaction: _claim, ...unclaimed } = fresh;
  let before: Metadata;
  try {
    before = readMetadata(dir);
  } catch {
    return unclaimed;
  }
  const m: Metadata = {
    ...unclaimed,
    started: typeof before.started === "string" ? before.started : started,
    total_lines: Number(before.total_lines) || 0,
    total_bytes: Number(before.total_bytes) || 0,
    labels_seen: Array.isArray(before.labels_seen) ? before.labels_seen : null,
  };
  if (redaction?.enabled && before.redaction?.enabled && Array.isArray(before.redaction.patterns)) {
    const earlier = new Set(before.redaction.patterns);
    m.redaction = { enabled: true, patterns: redaction.patterns.filter((p) => earlier.has(p)) };
  }
  return m;
}

/** The metadata a receiver stops with: what it started with (startMetadata) plus this run's totals. */
export function finishedMetadata(start: Metadata, stopped: string, lines: number, bytes: number, labelKeys: readonly string[]): Metadata {
  const keys = [...new Set([...(start.labels_seen ?? []), ...labelKeys])].sort();
  return {
    ...start,
    stopped,
    total_lines: start.total_lines + lines,
    total_bytes: start.total_bytes + bytes,
    labels_seen: keys.length > 0 ? keys : null,
  };
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
