/** `logtap download <s3://…|gs://…> --out <dir>` (upstream §19.3; docs/cloud.md, "Download safety"). */

import { defineCommand } from "citty";
import { UsageError } from "../common/errors.ts";
import { formatBytes } from "../common/format.ts";
import { parseSizeFlag } from "../common/values/size.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { createProgress } from "../cli/progress.ts";
import { writeStdout } from "../common/stdout.ts";
import { createCloudClient } from "../cloud/client.ts";
import { downloadCapture } from "../cloud/download.ts";
import { countFlag } from "../cloud/options.ts";
import { downloadedText, downloadJson } from "../cloud/report.ts";
import { formatCloudUrl, parseCloudUrl } from "../cloud/url.ts";

export default defineCommand({
  meta: { name: "download", description: "Download a capture from S3, an S3-compatible store or GCS into a directory" },
  args: {
    url: { type: "positional", description: "s3://bucket/prefix or gs://bucket/prefix", required: true },
    out: { type: "string", alias: "o", description: "directory to download into (created 0700; an earlier download there is resumed)" },
    concurrency: { type: "string", description: "files downloaded at once (default 4)" },
    "max-files": { type: "string", description: "refuse a prefix holding more objects than this (default 10000)" },
    "max-size": { type: "string", description: "refuse a prefix holding more bytes than this (e.g. 20GB; default no limit)" },
    endpoint: { type: "string", description: "S3-compatible endpoint URL (MinIO, R2, Ceph; env LOGTAP_S3_ENDPOINT)" },
    ...jsonArgs,
  },
  async run({ args }) {
    if (!args.out) throw new UsageError("--out is required");
    const json = isJson(args);
    const concurrency = countFlag("concurrency", args.concurrency, 4, 64);
    const maxFiles = countFlag("max-files", args["max-files"], 10_000, 10_000_000);
    const maxBytes = args["max-size"] === undefined ? 0 : parseSizeFlag("max-size", args["max-size"]);
    const url = parseCloudUrl(args.url);
    const client = await createCloudClient(url, { endpoint: args.endpoint, env: process.env });
    try {
      const progress = createProgress();
      const result = await downloadCapture(client, args.out, {
        concurrency,
        maxFiles,
        maxBytes,
        progress: (p) => progress.update(`Downloading: ${p.files}/${p.totalFiles} files (${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)})`),
      }).finally(() => progress.done());
      if (json) await writeStdout(downloadJson(result, formatCloudUrl(url), args.out));
      else process.stderr.write(downloadedText(result, args.out));
      return 0;
    } finally {
      client.s3.destroy();
    }
  },
});
