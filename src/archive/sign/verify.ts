/** `logtap sign --verify <dir>`: compare a capture with its manifest.sha256 (upstream §18). */

import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NotFoundError } from "../../common/errors.ts";
import { fsErrorText, isNotFound } from "../fs-error-text.ts";
import { hashFile, NotRegularFileError } from "./hash-file.ts";
import { MANIFEST_FILE, parseManifest, rootHash, signableFiles } from "./manifest.ts";

export interface Mismatch {
  file: string;
  expected: string;
  actual: string;
}

/** Field order is the JSON contract: dir, root_hash, valid, then only the non-empty problem lists. */
export interface VerifyResult {
  dir: string;
  root_hash: string;
  valid: boolean;
  mismatches?: Mismatch[];
  missing?: string[];
  extra?: string[];
}

/** A manifest of ours only names files directly in the capture; anything else is never opened. */
function isPlainName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\0");
}

function digestOf(dir: string, file: string): string | null {
  if (!isPlainName(file)) return null;
  const path = join(dir, file);
  try {
    if (!lstatSync(path).isFile()) return null;
    return hashFile(path).sha256;
  } catch (e) {
    if (isNotFound(e) || e instanceof NotRegularFileError || (e as NodeJS.ErrnoException).code === "ELOOP") return null;
    throw new Error(`sign: hash ${file}: ${fsErrorText("open", path, e)}`);
  }
}

export function verifyCapture(dir: string): VerifyResult {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(manifestPath, "utf8");
  } catch (e) {
    const message = `sign: read manifest: ${fsErrorText("open", manifestPath, e)}`;
    throw isNotFound(e) ? new NotFoundError(message) : new Error(message);
  }
  const expected = parseManifest(text);
  const mismatches: Mismatch[] = [];
  const missing: string[] = [];
  for (const entry of expected) {
    const actual = digestOf(dir, entry.file);
    if (actual === null) missing.push(entry.file);
    else if (actual !== entry.sha256) mismatches.push({ file: entry.file, expected: entry.sha256, actual });
  }
  const listed = new Set(expected.map((e) => e.file));
  const extra = signableFiles(dir).filter((f) => !listed.has(f));
  const result: VerifyResult = { dir, root_hash: rootHash(expected), valid: mismatches.length + missing.length + extra.length === 0 };
  if (mismatches.length > 0) result.mismatches = mismatches;
  if (missing.length > 0) result.missing = missing;
  if (extra.length > 0) result.extra = extra;
  return result;
}
