/**
 * `upload --share`: a presigned GET URL for every object under the prefix (upstream §19.2), valid for the expiry.
 * Unredacted captures need --force and expiries are capped at 168 h, SigV4's own limit for presigned URLs.
 */

import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { CliError, EXIT, UsageError } from "../common/errors.ts";
import type { Metadata } from "../capture/metadata.ts";
import type { CloudClient } from "./client.ts";
import { compareBytewise } from "../archive/byte-order.ts";
import { listObjects } from "./remote-objects.ts";
import { listPrefix } from "./url.ts";

export const MAX_SHARE_EXPIRY_MS = 168 * 3_600_000;
export const UNREDACTED_WARNING = "WARNING: sharing unredacted capture — PII may be exposed";

export function isRedacted(m: Metadata): boolean {
  const r = m.redaction as unknown;
  return typeof r === "object" && r !== null && !Array.isArray(r) && (r as { enabled?: unknown }).enabled !== false;
}

/** The gates of §19.2, in its order; returns whether the capture is shared unredacted (warned about on stderr). */
export function checkShare(m: Metadata, opts: { force: boolean; expiryMs: number }): { unredacted: boolean } {
  const unredacted = !isRedacted(m);
  if (unredacted && !opts.force) throw new UsageError("capture not redacted — use --force to share unredacted logs");
  if (opts.expiryMs > MAX_SHARE_EXPIRY_MS) throw new UsageError("--expiry exceeds maximum of 168h (7 days)");
  if (opts.expiryMs < 1000) throw new UsageError("--expiry must be at least 1s");
  return { unredacted };
}

export async function presignAll(client: CloudClient, expiryMs: number): Promise<Record<string, string>> {
  if (!client.canPresign)
    throw new CliError("--share on gs:// needs an HMAC key (GOOGLE_HMAC_ACCESS_KEY_ID, GOOGLE_HMAC_SECRET): an OAuth token cannot sign URLs", EXIT.usage);
  const { s3, url } = client;
  const urls: Record<string, string> = {};
  // Go prints map keys sorted; a listing is in key order already, sorting keeps the JSON so whatever the store does.
  const objects = (await listObjects(s3, url.bucket, listPrefix(url.prefix))).sort((a, b) => compareBytewise(a.key, b.key));
  for (const o of objects) {
    urls[o.key] = await getSignedUrl(s3, new GetObjectCommand({ Bucket: url.bucket, Key: o.key }), { expiresIn: Math.floor(expiryMs / 1000) });
  }
  return urls;
}
