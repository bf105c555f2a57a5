/** `s3://bucket[/prefix]` and `gs://bucket[/prefix]` (upstream §19.1), and the object keys under such a prefix. */

import { UsageError } from "../common/errors.ts";

export type CloudScheme = "s3" | "gs";

export interface CloudUrl {
  scheme: CloudScheme;
  bucket: string;
  /** Without leading or trailing `/`; "" for the bucket's root. */
  prefix: string;
}

export function parseCloudUrl(text: string): CloudUrl {
  const u = text.trim();
  if (u === "") throw new UsageError("empty URL");
  const m = /^(s3|gs):\/\/([^/]*)(?:\/(.*))?$/.exec(u);
  if (!m) throw new UsageError(`unsupported scheme in "${u}": expected s3:// or gs://`);
  if (m[2] === "") throw new UsageError(`empty bucket in "${u}"`);
  return { scheme: m[1] as CloudScheme, bucket: m[2]!, prefix: (m[3] ?? "").replace(/\/+$/, "") };
}

export function formatCloudUrl(u: CloudUrl): string {
  return `${u.scheme}://${u.bucket}${u.prefix ? `/${u.prefix}` : ""}`;
}

/** The key of a file at `rel` (a `/`-separated path inside the capture). */
export function objectKey(prefix: string, rel: string): string {
  return prefix ? `${prefix}/${rel}` : rel;
}

/** What a listing asks for: everything under `<prefix>/`, so `s3://b/cap` never picks up `cap2/…`. */
export function listPrefix(prefix: string): string {
  return prefix ? `${prefix}/` : "";
}
