/** The captures `gc` may delete: immediate subdirectories of the root that hold a metadata.json. */

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { NotFoundError } from "../../common/errors.ts";
import { METADATA_FILE } from "../../capture/data-files.ts";
import { compareBytewise } from "../byte-order.ts";
import { readCaptureMetadata } from "../capture-metadata.ts";
import type { CaptureTime } from "../capture-time.ts";
import { treeSize } from "../dir-sizes.ts";
import { fsErrorText, isNotFound } from "../fs-error-text.ts";

export interface GcCapture {
  dir: string;
  started: CaptureTime;
  sizeBytes: number;
}

/**
 * A subdirectory whose metadata.json exists but does not decode stops the run: deleting around a capture we
 * cannot read would make the size budget wrong. Symlinked directories are never candidates (nothing is deleted
 * through a link).
 */
export function scanCaptures(root: string): GcCapture[] {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch (e) {
    const text = `read dir: ${fsErrorText("open", root, e)}`;
    throw isNotFound(e) ? new NotFoundError(text) : new Error(text);
  }
  const captures: GcCapture[] = [];
  for (const e of entries.filter((d) => d.isDirectory()).sort((a, b) => compareBytewise(a.name, b.name))) {
    const dir = join(root, e.name);
    try {
      statSync(join(dir, METADATA_FILE));
    } catch (err) {
      if (isNotFound(err)) continue;
      throw new Error(`stat metadata: ${fsErrorText("stat", join(dir, METADATA_FILE), err)}`);
    }
    let started: CaptureTime;
    try {
      started = readCaptureMetadata(dir).started;
    } catch (err) {
      throw new Error(`read metadata ${dir}: ${(err as Error).message}`);
    }
    let sizeBytes: number;
    try {
      sizeBytes = treeSize(dir);
    } catch (err) {
      throw new Error(`size ${dir}: ${fsErrorText("lstat", dir, err)}`);
    }
    captures.push({ dir, started, sizeBytes });
  }
  return captures;
}
