/**
 * `logtap snapshot <archive> --extract -o <dir>`: unpack a snapshot into an empty (or new) directory.
 *
 * Safety: every entry is checked (safe-entry.ts) before anything is written for it, and everything is written
 * into a private staging directory inside the output. Only when the whole archive has been read and its
 * metadata.json validated are the files moved into place. A refused, damaged or truncated archive therefore
 * leaves nothing behind — not inside the output, and never outside it.
 */

import { closeSync, constants, futimesSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { NotFoundError, UsageError } from "../../common/errors.ts";
import { DIR_MODE, FILE_MODE } from "../../capture/file-modes.ts";
import { readCaptureMetadata } from "../capture-metadata.ts";
import { fsErrorText, isNotFound } from "../fs-error-text.ts";
import { safeEntryPath, UnsafeArchiveError } from "../tar/safe-entry.ts";
import { readTar } from "../tar/tar-reader.ts";

export interface ExtractOptions {
  progress(doneBytes: number, totalBytes: number): void;
}

const STAGING_PREFIX = ".logtap-extract-";

/** A failure on our side of the copy (disk full, permissions), as opposed to a bad archive. */
class WriteError extends Error {}

/** The output must be new or an empty directory: mixing two captures in one directory would corrupt both. */
function prepareOutput(out: string): { createdTop: string | undefined } {
  let st;
  try {
    st = statSync(out);
  } catch (e) {
    if (!isNotFound(e)) throw new Error(`create output: ${fsErrorText("stat", out, e)}`);
    try {
      return { createdTop: mkdirSync(out, { recursive: true, mode: DIR_MODE }) };
    } catch (e2) {
      throw new Error(`create output: ${fsErrorText("mkdir", out, e2)}`);
    }
  }
  if (!st.isDirectory()) throw new UsageError(`--output ${out} exists and is not a directory`);
  if (readdirSync(out).length > 0) throw new UsageError(`--output ${out} is not empty; extract into a new or empty directory`);
  return { createdTop: undefined };
}

function openArchive(archive: string): { stream: ReadableStream<Uint8Array<ArrayBuffer>>; size: number } {
  let size: number;
  try {
    const st = statSync(archive);
    if (st.isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
    size = st.size;
  } catch (e) {
    const text = `open archive: ${fsErrorText("open", archive, e)}`;
    throw isNotFound(e) ? new NotFoundError(text) : new Error(text);
  }
  return { stream: Bun.file(archive).stream(), size };
}

async function writeFile(path: string, shownPath: string, body: AsyncIterable<Uint8Array>, mtime: number, onBytes: () => void): Promise<void> {
  const fail = (e: unknown) => new WriteError(`write ${fsErrorText("open", shownPath, e).replace(/^open /, "")}`);
  let fd: number;
  try {
    // O_NOFOLLOW: defence in depth — the staging directory is ours and holds no links, but never write through one.
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, FILE_MODE);
  } catch (e) {
    throw fail(e);
  }
  try {
    for await (const piece of body) {
      try {
        for (let off = 0; off < piece.length; ) off += writeSync(fd, piece, off);
      } catch (e) {
        throw fail(e);
      }
      onBytes();
    }
    // Restored so "newest file" logic (watch) sees the capture as it was packed.
    futimesSync(fd, mtime, mtime);
  } finally {
    closeSync(fd);
  }
}

function validateCapture(staging: string, out: string): void {
  try {
    readCaptureMetadata(staging);
  } catch (e) {
    const message = (e as Error).message.replaceAll(staging, out);
    if (message.startsWith("read metadata: ")) {
      const text = `extracted archive missing metadata.json: ${message.slice("read metadata: ".length)}`;
      throw /no such file/.test(message) ? new NotFoundError(text) : new Error(text);
    }
    throw new Error(`invalid metadata.json: ${message.replace(/^unmarshal metadata: /, "")}`);
  }
}

export async function extractSnapshot(archive: string, out: string, opts: ExtractOptions): Promise<void> {
  const { stream, size } = openArchive(archive);
  const { createdTop } = prepareOutput(out);
  const staging = mkdtempSync(join(out, STAGING_PREFIX));
  try {
    let read = 0;
    const counted = stream.pipeThrough(
      new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
        transform(chunk, controller) {
          read += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );
    const decompressed = counted.pipeThrough<Uint8Array>(new DecompressionStream("zstd" as CompressionFormat));
    try {
      for await (const { entry, body } of readTar(decompressed)) {
        const parts = safeEntryPath(entry);
        if (parts.length === 0) continue;
        const target = join(staging, ...parts);
        const shown = join(out, ...parts);
        try {
          mkdirSync(entry.kind === "directory" ? target : join(target, ".."), { recursive: true, mode: DIR_MODE });
        } catch (e) {
          throw new WriteError(`create ${fsErrorText("mkdir", shown, e).replace(/^mkdir /, "")}`);
        }
        if (entry.kind === "file") await writeFile(target, shown, body, entry.mtime, () => opts.progress(read, size));
      }
    } catch (e) {
      if (e instanceof UnsafeArchiveError || e instanceof WriteError) throw e;
      throw new Error(`read archive ${archive}: ${(e as Error).message.replaceAll(staging, out)}`);
    }
    validateCapture(staging, out);
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(out, name));
    rmdirSync(staging);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (createdTop !== undefined) rmSync(createdTop, { recursive: true, force: true });
    throw e;
  }
}
