/**
 * `logtap catalog`: find capture directories (a directory is a capture when its metadata.json decodes) under a
 * root, immediate children only or (recursive) the whole tree — never looking inside a capture — plus the root.
 */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { NotFoundError } from "../../common/errors.ts";
import { compareBytewise } from "../byte-order.ts";
import { readCaptureMetadata } from "../capture-metadata.ts";
import { compareTimes, type CaptureTime } from "../capture-time.ts";
import { dataFileStats } from "../../capture/data-file-stats.ts";
import { fsErrorText, isNotFound } from "../fs-error-text.ts";

export interface CatalogEntry {
  dir: string;
  started: CaptureTime;
  stopped: CaptureTime;
  files: number;
  entries: number;
  bytes: number;
  active: boolean;
  labels: string[];
}

function tryCapture(dir: string): CatalogEntry | null {
  let meta;
  try {
    meta = readCaptureMetadata(dir);
  } catch {
    return null;
  }
  const { files, bytes } = dataFileStats(dir);
  return { dir, started: meta.started, stopped: meta.stopped, files, entries: meta.totalLines, bytes, active: meta.stopped.zero, labels: meta.labelsSeen };
}

/** Subdirectories in byte order; symlinks are not followed (a link loop must not hang a recursive scan). */
function subdirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(compareBytewise);
}

function walk(dir: string, found: CatalogEntry[]): void {
  let names: string[];
  try {
    names = subdirs(dir);
  } catch {
    return; // unreadable corners of a tree are skipped, as a recursive scan should
  }
  for (const name of names) {
    const path = join(dir, name);
    const entry = tryCapture(path);
    if (entry !== null) found.push(entry);
    else walk(path, found);
  }
}

/** Newest first; ties by directory name so the order is the same on every run. */
export function findCaptures(root: string, recursive: boolean): CatalogEntry[] {
  const found: CatalogEntry[] = [];
  let names: string[];
  try {
    names = subdirs(root);
  } catch (e) {
    const text = `read ${root}: ${fsErrorText("open", root, e)}`;
    throw isNotFound(e) ? new NotFoundError(text) : new Error(text);
  }
  if (recursive) walk(root, found);
  else for (const name of names) {
    const entry = tryCapture(join(root, name));
    if (entry !== null) found.push(entry);
  }
  const self = tryCapture(root);
  if (self !== null) found.push(self);
  return found.sort((a, b) => compareTimes(b.started, a.started) || compareBytewise(a.dir, b.dir));
}
