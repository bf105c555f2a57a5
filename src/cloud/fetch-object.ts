/**
 * One object to one file under --out. The bytes go to `.<name>.<tag>.part` beside the file (`tag` from the object's
 * ETag, so a part file only ever continues the same object version) and are renamed into place once their size and
 * SHA-256 check out. An interrupted download leaves the part file; the next run asks for the rest with a Range
 * request conditional on the ETag (If-Match) and starts over when the object changed or the server ignores the range.
 */

import { GetObjectCommand } from "@aws-sdk/client-s3";
import { constants, readdirSync, renameSync, rmSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CliError, EXIT } from "../common/errors.ts";
import { FILE_MODE } from "../capture/file-modes.ts";
import type { CloudClient } from "./client.ts";
import { fileSha256 } from "./file-sha256.ts";
import { existingFileSize } from "./out-dir.ts";
import { SHA256_META, type RemoteObject } from "./remote-objects.ts";

export interface Expected {
  /** From manifest.sha256 when the capture was signed (a mismatch is a failed integrity check, exit 6). */
  manifest?: string;
}

function partName(target: string, etag: string | undefined): string {
  const tag = new Bun.CryptoHasher("sha256").update(etag ?? "").digest("hex").slice(0, 12);
  return join(dirname(target), `.${basename(target)}.${tag}.part`);
}

/** Part files of older versions of the same object: left by runs that were interrupted before the object changed. */
function removeStaleParts(target: string, keep: string): void {
  const name = basename(target);
  for (const f of readdirSync(dirname(target))) {
    if (f.startsWith(`.${name}.`) && f.endsWith(".part") && join(dirname(target), f) !== keep) rmSync(join(dirname(target), f), { force: true });
  }
}

async function openPart(path: string, resume: boolean): Promise<FileHandle> {
  const flags = constants.O_WRONLY | constants.O_NOFOLLOW | (resume ? constants.O_APPEND : constants.O_CREAT | constants.O_EXCL);
  return open(path, flags, FILE_MODE);
}

export async function fetchObject(client: CloudClient, obj: RemoteObject, target: string, rel: string, expected: Expected, signal: AbortSignal, onBytes: (n: number) => void): Promise<{ sha256: string }> {
  const part = partName(target, obj.etag);
  let have = existingFileSize(part) ?? 0;
  if (have >= obj.size) {
    rmSync(part, { force: true });
    have = 0;
  }
  const { s3, url } = client;
  // If-Match: an object replaced since it was listed fails (412) instead of mixing two versions.
  const response = await s3.send(
    new GetObjectCommand({ Bucket: url.bucket, Key: obj.key, IfMatch: obj.etag, ...(have > 0 ? { Range: `bytes=${have}-` } : {}) }),
    { abortSignal: signal },
  );
  const ranged = have > 0 && response.ContentRange !== undefined && response.ContentRange.startsWith(`bytes ${have}-`);
  if (have > 0 && !ranged) {
    rmSync(part, { force: true });
    have = 0;
  }
  removeStaleParts(target, part);
  const fh = await openPart(part, have > 0);
  const hasher = have > 0 ? undefined : new Bun.CryptoHasher("sha256");
  let received = have;
  try {
    onBytes(have);
    for await (const chunk of response.Body as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      // The listing's size is the contract: a server sending more is not sending this object.
      if (received > obj.size) throw new CliError(`download ${rel}: received more than the ${obj.size} bytes listed`, EXIT.internal);
      hasher?.update(chunk);
      for (let off = 0; off < chunk.length; ) off += (await fh.write(chunk, off)).bytesWritten;
      onBytes(chunk.length);
    }
  } finally {
    await fh.close();
  }
  if (received !== obj.size) throw new CliError(`download ${rel}: received ${received} of ${obj.size} bytes (run download again to resume)`, EXIT.network);
  const sha256 = hasher ? hasher.digest("hex") : await fileSha256(part);
  const want = expected.manifest ?? response.Metadata?.[SHA256_META];
  if (want !== undefined && want !== sha256) {
    rmSync(part, { force: true });
    const source = expected.manifest !== undefined ? "manifest.sha256" : "the object's x-amz-meta-sha256";
    throw new CliError(`download ${rel}: SHA-256 ${sha256} does not match ${source} (${want})`, expected.manifest !== undefined ? EXIT.findings : EXIT.internal);
  }
  renameSync(part, target);
  return { sha256 };
}
