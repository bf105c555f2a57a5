/**
 * `logtap snapshot <capture> -o x.tar.zst`: the capture as one tar inside one zstd stream (upstream §17), written
 * to a temporary file next to the output and renamed into place, so a failed or interrupted pack never leaves a
 * truncated archive under the final name.
 */

import { closeSync, constants, fstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { isStreamPath } from "../../common/stream-path.ts";
import { basename, dirname, join } from "node:path";
import { NotFoundError, UsageError } from "../../common/errors.ts";
import { METADATA_FILE } from "../../capture/data-files.ts";
import { FILE_MODE } from "../../capture/file-modes.ts";
import { readCaptureMetadata } from "../capture-metadata.ts";
import { fsErrorText, isNotFound } from "../fs-error-text.ts";
import { tarStream } from "../tar/tar-writer.ts";
import { planPack } from "./pack-plan.ts";

export interface PackOptions {
  warn(line: string): void;
  progress(doneBytes: number, totalBytes: number): void;
}

function checkSource(src: string): void {
  const meta = join(src, METADATA_FILE);
  try {
    statSync(meta);
  } catch (e) {
    const text = `not a capture directory (missing metadata.json): ${fsErrorText("stat", meta, e)}`;
    throw isNotFound(e) ? new NotFoundError(text) : new Error(text);
  }
  // An archive that extraction would refuse is better refused now, while the capture is still at hand.
  try {
    readCaptureMetadata(src);
  } catch (e) {
    throw new Error(`not a capture directory (invalid metadata.json): ${(e as Error).message}`);
  }
}

/** Returns the archive size in bytes. */
export async function packSnapshot(src: string, out: string, opts: PackOptions): Promise<number> {
  checkSource(src);
  let existing;
  try {
    existing = statSync(out);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) throw new UsageError(`--output ${out} is a directory; name the archive file (e.g. ${join(out, basename(src) + ".tar.zst")})`);
  // A stream (`--output /dev/stdout`) is written into as it is: a rename would replace the device node.
  const stream = isStreamPath(out);
  const tmp = stream ? out : join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  let fd: number;
  try {
    fd = openSync(tmp, stream ? constants.O_WRONLY : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
  } catch (e) {
    throw new Error(`create output: ${fsErrorText("open", out, e)}`);
  }
  let written = 0;
  try {
    const own = fstatSync(fd);
    const exclude = new Set([`${own.dev}:${own.ino}`]);
    if (existing !== undefined) exclude.add(`${existing.dev}:${existing.ino}`);
    const plan = planPack(src, exclude);
    for (const s of plan.skipped) opts.warn(`warning: not packed: ${s}`);
    let done = 0;
    const tar = tarStream(plan.items, {
      onFileBytes(n) {
        done += n;
        opts.progress(done, plan.totalBytes);
      },
      onVanished(item) {
        opts.warn(`warning: not packed: ${item.path} (deleted while packing)`);
      },
    });
    for await (const chunk of tar.pipeThrough(new CompressionStream("zstd" as CompressionFormat))) {
      for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
      written += chunk.length;
    }
    closeSync(fd);
    fd = -1;
    if (!stream) renameSync(tmp, out);
    return written;
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    try {
      if (!stream) unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
}
