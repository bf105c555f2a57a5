/**
 * Where an export writes: checked before any reading starts, written under a hidden temporary name next to `--out`
 * and renamed into place only when the export has finished, so a failed or interrupted export leaves no half file.
 */

import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { isInside, realPathOf } from "../common/real-path.ts";
import { NotFoundError, UsageError } from "../common/errors.ts";
import { DIR_MODE } from "../capture/file-modes.ts";
import { isStreamPath } from "../common/stream-path.ts";

export type OutputKind = "file" | "directory";

/**
 * Refuses an `--out` that would land inside the capture (readers would take a `.jsonl` export for capture data),
 * whose parent directory is missing, or that would replace something it should not: a directory when a file is
 * written, a file or a non-empty directory when a partitioned directory is written.
 */
export function checkOutputPath(out: string, captureDir: string, kind: OutputKind): void {
  if (out === "") throw new UsageError("--out is required");
  if (isInside(realPathOf(out), realPathOf(captureDir))) throw new UsageError(`--out ${out} is inside the capture directory ${captureDir}`);
  const parent = dirname(resolve(out));
  if (!existsSync(parent)) throw new NotFoundError(`output directory ${parent}: no such file or directory`);
  if (!existsSync(out)) return;
  const st = statSync(out);
  if (kind === "file" && st.isDirectory()) throw new UsageError(`--out ${out} is a directory (partitioned output needs --partition-by)`);
  if (kind === "directory") {
    if (!st.isDirectory()) throw new UsageError(`--out ${out} exists and is not a directory (--partition-by writes a directory)`);
    if (readdirSync(out).length > 0) throw new UsageError(`--out ${out} already exists and is not empty`);
  }
}

/**
 * A temporary sibling of the final path, promoted by commit() or removed by abort() — or, for a file written into a
 * stream (`/dev/stdout`, a FIFO: stream-path.ts), the stream itself, which neither does anything to.
 */
export class AtomicOutput {
  readonly finalPath: string;
  readonly tempPath: string;
  readonly kind: OutputKind;
  #done = false;

  constructor(finalPath: string, kind: OutputKind) {
    this.finalPath = finalPath;
    this.kind = kind;
    const abs = resolve(finalPath);
    if (kind === "file" && isStreamPath(finalPath)) {
      this.tempPath = finalPath;
      this.#done = true;
      return;
    }
    this.tempPath = join(dirname(abs), `.${basename(abs)}.logtap-tmp-${process.pid}-${Date.now().toString(36)}`);
    if (kind === "directory") mkdirSync(this.tempPath, { mode: DIR_MODE });
  }

  commit(): void {
    if (this.#done) return;
    this.#done = true;
    // An empty directory at --out (checked beforehand) is replaced; rename cannot replace a directory itself.
    if (this.kind === "directory" && existsSync(this.finalPath)) rmdirSync(this.finalPath);
    renameSync(this.tempPath, this.finalPath);
  }

  abort(): void {
    if (this.#done) return;
    this.#done = true;
    try {
      rmSync(this.tempPath, { recursive: true, force: true });
    } catch {
      // best effort: the error that caused the abort matters more
    }
  }
}
