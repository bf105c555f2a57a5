/** `logtap sign <dir>`: hash every file of a capture and write manifest.sha256 (upstream §18). */

import { chmodSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CliError, EXIT, NotFoundError } from "../../common/errors.ts";
import { METADATA_FILE } from "../../capture/data-files.ts";
import { FILE_MODE } from "../../capture/file-modes.ts";
import { formatInstantOf, nowInstant } from "../../capture/timestamp.ts";
import { fsErrorText, isNotFound } from "../fs-error-text.ts";
import { hashFile } from "./hash-file.ts";
import { formatManifest, MANIFEST_FILE, rootHash, signableFiles } from "./manifest.ts";

export interface SignedFile {
  file: string;
  sha256: string;
  bytes: number;
}

export interface SignResult {
  dir: string;
  root_hash: string;
  files: SignedFile[];
  signed_at: string;
}

export function signCapture(dir: string): SignResult {
  const meta = join(dir, METADATA_FILE);
  try {
    statSync(meta);
  } catch (e) {
    const text = `sign: not a valid capture directory: ${fsErrorText("stat", meta, e)}`;
    throw isNotFound(e) ? new NotFoundError(text) : new Error(text);
  }
  let names: string[];
  try {
    names = signableFiles(dir);
  } catch (e) {
    throw new Error(`sign: read directory: ${fsErrorText("open", dir, e)}`);
  }
  const files: SignedFile[] = [];
  for (const file of names) {
    // sha256sum would escape such a name; a manifest line cannot hold it, so refuse rather than write a lie.
    if (/[\n\r]/.test(file)) throw new CliError(`sign: cannot sign ${JSON.stringify(file)}: file name contains a line break`, EXIT.internal);
    try {
      files.push({ file, ...hashFile(join(dir, file)) });
    } catch (e) {
      throw new Error(`sign: hash ${file}: ${fsErrorText("open", join(dir, file), e)}`);
    }
  }
  const manifestPath = join(dir, MANIFEST_FILE);
  try {
    writeFileSync(manifestPath, formatManifest(files), { mode: FILE_MODE });
    chmodSync(manifestPath, FILE_MODE);
  } catch (e) {
    throw new Error(`sign: write manifest: ${fsErrorText("open", manifestPath, e)}`);
  }
  return { dir, root_hash: rootHash(files), files, signed_at: formatInstantOf(nowInstant()) };
}
