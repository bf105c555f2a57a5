/** `metadata.json` (upstream §2.4): written when a capture starts and rewritten when it stops. */

import { existsSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
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
  const text = formatMetadata(m);
  try {
    writeFileSync(tmp, text, { mode: FILE_MODE });
    renameSync(tmp, path);
  } catch (e) {
    // No empty .tmp is left beside the old metadata.json.
    rmSync(tmp, { force: true });
    if (!overwroteInPlace(path, text, e as NodeJS.ErrnoException)) throw e;
  }
}

/**
 * On a full disk a new file gets no block, but the old metadata.json has one (4 KiB and more; the document is a few
 * hundred bytes): overwriting it in place lets a receiver stopping on a full disk still record its stop and totals
 * instead of leaving the capture looking live. Not atomic — a crash in the middle could tear it — so only then.
 */
function overwroteInPlace(path: string, text: string, e: NodeJS.ErrnoException): boolean {
  if (e.code !== "ENOSPC" && e.code !== "EDQUOT") return false;
  try {
    // Only into blocks it already has: a write that needed one more would fail half-way and tear the old document.
    if (statSync(path).blocks * 512 < Buffer.byteLength(text)) return false;
    writeFileSync(path, text, { flag: "r+" });
    truncateSync(path, Buffer.byteLength(text));
    return true;
  } catch {
    return false;
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
