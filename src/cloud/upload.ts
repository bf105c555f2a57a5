/**
 * `logtap upload`: every file of a capture to `<prefix>/<relative path>`, `concurrency` files at a time.
 *
 * Resume: each object carries the file's SHA-256 in its metadata (`x-amz-meta-sha256`); an object that already has
 * the file's size and SHA-256 is skipped, so running upload again after an interruption sends only what is missing
 * (a file cut off mid-way was never completed, so it is sent again whole).
 * metadata.json goes last: a prefix holding it holds a whole capture, whatever interrupted an upload before.
 * Files from 8 MiB up go as multipart uploads (lib-storage), two 8 MiB parts in flight per file.
 */

import { PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createReadStream, readFileSync } from "node:fs";
import { METADATA_FILE } from "../capture/data-files.ts";
import { cloudError } from "./cloud-errors.ts";
import type { CloudClient } from "./client.ts";
import { fileSha256 } from "./file-sha256.ts";
import type { LocalFile } from "./local-files.ts";
import { runPool } from "./pool.ts";
import { headObject, SHA256_META } from "./remote-objects.ts";
import { objectKey } from "./url.ts";

export const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

export interface UploadProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface UploadResult {
  files: number;
  bytes: number;
  /** Objects that were already there with the same size and SHA-256. */
  skipped: number;
}

async function sendFile(client: CloudClient, f: LocalFile, key: string, signal: AbortSignal, onBytes: (n: number) => void): Promise<boolean> {
  const { s3, url } = client;
  // A small file is read once, so the bytes hashed are the bytes sent.
  const body = f.size < PART_SIZE ? readFileSync(f.path) : undefined;
  const sha256 = body ? new Bun.CryptoHasher("sha256").update(body).digest("hex") : await fileSha256(f.path);
  const there = await headObject(s3, url.bucket, key, signal);
  if (there !== null && there.size === f.size && there.sha256 === sha256) return false;
  const params = { Bucket: url.bucket, Key: key, Metadata: { [SHA256_META]: sha256 } };
  if (body) {
    await s3.send(new PutObjectCommand({ ...params, Body: body, ContentLength: body.length }), { abortSignal: signal });
    onBytes(body.length);
    return true;
  }
  const abortController = new AbortController();
  signal.addEventListener("abort", () => abortController.abort(), { once: true });
  const upload = new Upload({ client: s3, params: { ...params, Body: createReadStream(f.path), ContentLength: f.size }, partSize: PART_SIZE, queueSize: PARTS_IN_FLIGHT, abortController });
  let sent = 0;
  upload.on("httpUploadProgress", (p) => {
    if (p.loaded !== undefined && p.loaded > sent) {
      onBytes(p.loaded - sent);
      sent = p.loaded;
    }
  });
  await upload.done();
  if (sent < f.size) onBytes(f.size - sent);
  return true;
}

export async function uploadFiles(client: CloudClient, files: readonly LocalFile[], opts: { concurrency: number; progress(p: UploadProgress): void }): Promise<UploadResult> {
  const p: UploadProgress = { files: 0, totalFiles: files.length, bytes: 0, totalBytes: files.reduce((s, f) => s + f.size, 0) };
  let skipped = 0;
  const one = async (f: LocalFile, signal: AbortSignal) => {
    try {
      const sent = await sendFile(client, f, objectKey(client.url.prefix, f.rel), signal, (n) => {
        p.bytes += n;
        opts.progress(p);
      });
      if (!sent) {
        skipped++;
        p.bytes += f.size;
      }
    } catch (e) {
      throw cloudError(e, `upload ${f.rel}`, { bucket: client.url.bucket, endpointText: client.endpointText });
    }
    p.files++;
    opts.progress(p);
  };
  const last = files.filter((f) => f.rel === METADATA_FILE);
  await runPool(files.filter((f) => f.rel !== METADATA_FILE), opts.concurrency, one);
  await runPool(last, 1, one);
  return { files: files.length, bytes: p.totalBytes, skipped };
}
