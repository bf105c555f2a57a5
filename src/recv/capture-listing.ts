/**
 * What a receiver with `--serve-capture` shows of its capture directory: every file a capture consists of, with its
 * size and state, so a puller (src/kube/pull/) can copy it while it is written. A data file named in index.jsonl is
 * sealed — the writer appends its index line only after its last frame is on disk, and never touches it again — so
 * its SHA-256 is given (computed once). The one data file not in the index is the active file, still growing by
 * whole frames. metadata.json, index.jsonl and audit.jsonl change until the receiver has finished; then they are
 * final and get their SHA-256 too.
 */

import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { AUDIT_FILE, INDEX_FILE, METADATA_FILE, isDataFileName } from "../capture/data-files.ts";
import { readIndex } from "../capture/index-file.ts";

export type FileState = "sealed" | "active" | "meta";

export interface ListedFile {
  name: string;
  size: number;
  state: FileState;
  /** Sealed data files always; metadata, index and audit once the receiver has finished. */
  sha256?: string;
}

/** The answer of `GET /logtap/capture/files`. */
export interface CaptureListing {
  /** The receiver has stopped taking pushes and finalised the capture: nothing will change any more. */
  finished: boolean;
  files: ListedFile[];
}

export const META_FILES = [METADATA_FILE, INDEX_FILE, AUDIT_FILE] as const;

/** Only these names are ever listed or served: the capture's own files, never temporaries, dot-files or paths. */
export function isServableName(name: string): boolean {
  if (name.includes("/") || name.includes("\\") || name.includes("\0")) return false;
  return (META_FILES as readonly string[]).includes(name) || isDataFileName(name);
}

/** Size of a regular file in `dir` (symlinks and directories do not count), or null. */
export function regularFileSize(dir: string, name: string): number | null {
  try {
    const st = lstatSync(join(dir, name));
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

export class CaptureListingSource {
  /** name → digest of a file whose content cannot change any more (keyed by size, in case a name is reused). */
  readonly #digests = new Map<string, { size: number; sha256: string }>();

  constructor(
    private readonly dir: string,
    private readonly finished: () => boolean,
  ) {}

  async list(): Promise<CaptureListing> {
    // Read before the directory: a file sealed in between is listed as active this time, never the reverse.
    const finished = this.finished();
    const sealed = new Set(readIndex(this.dir).map((e) => e.file));
    const files: ListedFile[] = [];
    for (const name of readdirSync(this.dir).sort()) {
      if (!isServableName(name)) continue;
      const size = regularFileSize(this.dir, name);
      if (size === null) continue;
      const state: FileState = isDataFileName(name) ? (sealed.has(name) || finished ? "sealed" : "active") : "meta";
      const file: ListedFile = { name, size, state };
      if (state === "sealed" || finished) file.sha256 = await this.#digest(name, size);
      files.push(file);
    }
    return { finished, files };
  }

  async #digest(name: string, size: number): Promise<string> {
    const known = this.#digests.get(name);
    if (known?.size === size) return known.sha256;
    const hasher = new Bun.CryptoHasher("sha256");
    // Streamed, so a 256 MB file is never held whole; each chunk is hashed between other requests.
    for await (const chunk of Bun.file(join(this.dir, name)).slice(0, size).stream()) hasher.update(chunk);
    const sha256 = hasher.digest("hex");
    this.#digests.set(name, { size, sha256 });
    return sha256;
  }
}
