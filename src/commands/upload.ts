/** `logtap upload <capture-dir> --to s3://bucket/prefix | gs://…` (upstream §19.2; docs/cloud.md). */

import { defineCommand } from "citty";
import { NotFoundError, UsageError } from "../common/errors.ts";
import { formatBytes } from "../common/format.ts";
import { parseDurationFlag } from "../common/values/duration.ts";
import { MetadataError, readMetadata, type Metadata } from "../capture/metadata.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { createProgress } from "../cli/progress.ts";
import { writeStdout } from "../common/stdout.ts";
import { createCloudClient } from "../cloud/client.ts";
import { cloudError } from "../cloud/cloud-errors.ts";
import { listCaptureFiles } from "../cloud/local-files.ts";
import { countFlag } from "../cloud/options.ts";
import { destinationText, sharedJson, sharedText, uploadedText, uploadJson } from "../cloud/report.ts";
import { checkShare, presignAll, UNREDACTED_WARNING } from "../cloud/share.ts";
import { uploadFiles } from "../cloud/upload.ts";
import { formatCloudUrl, parseCloudUrl } from "../cloud/url.ts";

function captureMetadata(dir: string): Metadata {
  try {
    return readMetadata(dir);
  } catch (e) {
    if (e instanceof MetadataError) throw new NotFoundError(`not a valid capture directory: ${e.message}`);
    throw e;
  }
}

export default defineCommand({
  meta: { name: "upload", description: "Upload a capture to S3, an S3-compatible store or GCS (--share: presigned URLs)" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    destination: { type: "positional", description: "s3://bucket/prefix or gs://bucket/prefix (or --to)", required: false },
    to: { type: "string", description: "destination: s3://bucket[/prefix] or gs://bucket[/prefix]" },
    concurrency: { type: "string", description: "files uploaded at once (default 4)" },
    share: { type: "boolean", description: "print presigned download URLs after the upload" },
    expiry: { type: "string", description: "how long --share URLs stay valid (Go duration, at most 168h; default 24h)" },
    force: { type: "boolean", description: "allow --share of a capture recorded without redaction" },
    endpoint: { type: "string", description: "S3-compatible endpoint URL (MinIO, R2, Ceph; env LOGTAP_S3_ENDPOINT)" },
    ...jsonArgs,
  },
  async run({ args }) {
    if (args.to && args.destination && args.to !== args.destination) throw new UsageError("give the destination once: as --to or as the second argument");
    const to = args.to || args.destination;
    if (!to) throw new UsageError("--to is required");
    const json = isJson(args);
    const concurrency = countFlag("concurrency", args.concurrency, 4, 64);
    const expiryMs = parseDurationFlag("expiry", args.expiry ?? "24h");
    const metadata = captureMetadata(args.dir);
    const share = args.share ? checkShare(metadata, { force: args.force === true, expiryMs }) : undefined;
    const url = parseCloudUrl(to);
    const destination = formatCloudUrl(url);
    const files = listCaptureFiles(args.dir);
    if (files.length === 0) throw new NotFoundError(`no files found in ${args.dir}`);
    const client = await createCloudClient(url, { endpoint: args.endpoint, env: process.env });
    if (share?.unredacted) process.stderr.write(UNREDACTED_WARNING + "\n");
    try {
      const progress = createProgress();
      const result = await uploadFiles(client, files, {
        concurrency,
        progress: (p) => progress.update(`Uploading: ${p.files}/${p.totalFiles} files (${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)})`),
      }).finally(() => progress.done());
      if (!json) process.stderr.write(uploadedText(result));
      if (share === undefined) {
        await writeStdout(json ? uploadJson(result, args.dir, destination) : destinationText(destination));
        return 0;
      }
      let urls;
      try {
        urls = await presignAll(client, expiryMs);
      } catch (e) {
        throw cloudError(e, "share", { bucket: url.bucket, endpointText: client.endpointText });
      }
      const shared = { urls, expiryMs, expires: new Date(Date.now() + expiryMs) };
      await writeStdout(json ? sharedJson(result, destination, shared) : sharedText(shared, url));
      return 0;
    } finally {
      client.s3.destroy();
    }
  },
});
