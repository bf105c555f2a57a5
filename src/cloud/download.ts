/**
 * `logtap download`: the objects under a prefix into --out (upstream §19.3).
 *
 * Before anything is written every key is checked (key-safety.ts) and the listing against --max-files/--max-size;
 * files go through out-dir.ts and fetch-object.ts (no symlink followed, temporary file then rename, 0600/0700). A
 * signed capture's manifest.sha256 is fetched first and every file is checked against it before it is renamed into
 * place, then the whole directory is verified with `sign --verify`'s code (missing and extra files too).
 * Resume: a file already in --out with the listed size and the expected SHA-256 (the manifest's, else the object's
 * x-amz-meta-sha256) is skipped, and a part file left by an interrupted run is continued with a Range request.
 */

import { mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { CliError, EXIT, FindingsError, NotFoundError } from "../common/errors.ts";
import { formatBytes } from "../common/format.ts";
import { MANIFEST_FILE, METADATA_FILE } from "../capture/data-files.ts";
import { DIR_MODE } from "../capture/file-modes.ts";
import { readCaptureMetadata } from "../archive/capture-metadata.ts";
import { fsErrorText } from "../archive/fs-error-text.ts";
import { parseManifest } from "../archive/sign/manifest.ts";
import { verifyCapture } from "../archive/sign/verify.ts";
import type { CloudClient } from "./client.ts";
import { cloudError } from "./cloud-errors.ts";
import { fetchObject } from "./fetch-object.ts";
import { fileSha256 } from "./file-sha256.ts";
import { isFolderMarker, safeRelativePath } from "./key-safety.ts";
import { checkPathUnder, ensureDirsUnder, existingFileSize } from "./out-dir.ts";
import { runPool } from "./pool.ts";
import { headObject, listObjects, type RemoteObject } from "./remote-objects.ts";
import { listPrefix } from "./url.ts";

export interface DownloadProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface DownloadOptions {
  concurrency: number;
  maxFiles: number;
  /** 0: no limit. */
  maxBytes: number;
  progress(p: DownloadProgress): void;
}

export interface DownloadResult {
  files: number;
  bytes: number;
  skipped: number;
}

interface Item {
  obj: RemoteObject;
  parts: string[];
  rel: string;
}

function plan(objects: RemoteObject[], prefix: string, opts: DownloadOptions): Item[] {
  const items = objects.filter((o) => !isFolderMarker(o.key, o.size)).map((obj) => {
    const parts = safeRelativePath(obj.key, prefix);
    return { obj, parts, rel: parts.join("/") };
  });
  if (items.length > opts.maxFiles) throw new CliError(`${items.length} objects under the prefix, more than --max-files ${opts.maxFiles}`, EXIT.internal);
  const total = items.reduce((s, i) => s + i.obj.size, 0);
  if (opts.maxBytes > 0 && total > opts.maxBytes)
    throw new CliError(`the objects under the prefix hold ${formatBytes(total)}, more than --max-size ${formatBytes(opts.maxBytes)}`, EXIT.internal);
  return items;
}

function makeOut(out: string): string {
  try {
    mkdirSync(out, { recursive: true, mode: DIR_MODE });
    return realpathSync(out);
  } catch (e) {
    throw new Error(`create output: ${fsErrorText("mkdir", out, e)}`);
  }
}

export async function downloadCapture(client: CloudClient, out: string, opts: DownloadOptions): Promise<DownloadResult> {
  const { url } = client;
  const ctx = { bucket: url.bucket, endpointText: client.endpointText };
  const prefix = listPrefix(url.prefix);
  let objects: RemoteObject[];
  try {
    objects = await listObjects(client.s3, url.bucket, prefix);
  } catch (e) {
    throw cloudError(e, "list objects", ctx);
  }
  if (objects.length === 0) throw new NotFoundError(`no objects found under prefix "${url.prefix}"`);
  const items = plan(objects, prefix, opts);
  const root = makeOut(out);
  // All paths before any byte is written; each is checked again as it is written (out-dir.ts).
  for (const i of items) checkPathUnder(root, i.parts);
  const p: DownloadProgress = { files: 0, totalFiles: items.length, bytes: 0, totalBytes: items.reduce((s, i) => s + i.obj.size, 0) };
  let skipped = 0;
  let manifest: Map<string, string> | undefined;

  const one = async (item: Item, signal: AbortSignal) => {
    try {
      const dir = ensureDirsUnder(root, item.parts.slice(0, -1));
      const target = join(dir, item.parts.at(-1)!);
      const fromManifest = item.parts.length === 1 ? manifest?.get(item.rel) : undefined;
      if (existingFileSize(target) === item.obj.size) {
        const want = fromManifest ?? (await headObject(client.s3, url.bucket, item.obj.key, signal))?.sha256;
        if (want !== undefined && (await fileSha256(target)) === want) {
          skipped++;
          p.bytes += item.obj.size;
          p.files++;
          opts.progress(p);
          return;
        }
      }
      await fetchObject(client, item.obj, target, item.rel, { manifest: fromManifest }, signal, (n) => {
        p.bytes += n;
        opts.progress(p);
      });
    } catch (e) {
      throw cloudError(e, `download ${item.rel}`, ctx);
    }
    p.files++;
    opts.progress(p);
  };

  const manifestItem = items.find((i) => i.rel === MANIFEST_FILE);
  if (manifestItem) {
    await runPool([manifestItem], 1, one);
    manifest = new Map(parseManifest(await Bun.file(join(root, MANIFEST_FILE)).text()).map((l) => [l.file, l.sha256]));
  }
  await runPool(items.filter((i) => i !== manifestItem), opts.concurrency, one);

  if (manifestItem) {
    const v = verifyCapture(root);
    if (!v.valid) {
      const first = v.mismatches?.[0]?.file ?? v.missing?.[0] ?? v.extra?.[0];
      const what = v.mismatches?.length ? "does not match" : v.missing?.length ? "is listed but missing" : "is not listed";
      throw new FindingsError(`downloaded capture failed verification against manifest.sha256: ${first} ${what} (logtap sign --verify ${out})`);
    }
  }
  try {
    readCaptureMetadata(root);
  } catch (e) {
    throw new NotFoundError(`downloaded capture invalid (missing or corrupt ${METADATA_FILE}): ${(e as Error).message.replaceAll(root, out)}`);
  }
  return { files: items.length, bytes: p.totalBytes, skipped };
}
