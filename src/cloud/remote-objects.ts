/** What the bucket holds: the objects under a prefix (every page of the listing) and one object's size and SHA-256. */

import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";

export interface RemoteObject {
  key: string;
  size: number;
  etag: string | undefined;
}

export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

/** Object metadata key under which upload stores the file's SHA-256 (`x-amz-meta-sha256`): multipart ETags are no digest. */
export const SHA256_META = "sha256";

export interface RemoteDigest {
  size: number;
  sha256: string | undefined;
}

/** null when there is no such object. GCS may answer the metadata as `x-goog-meta-*`, which the SDK does not parse. */
export async function headObject(s3: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<RemoteDigest | null> {
  const cmd = new HeadObjectCommand({ Bucket: bucket, Key: key });
  let goog: string | undefined;
  cmd.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      goog = (result.response as { headers?: Record<string, string> }).headers?.[`x-goog-meta-${SHA256_META}`];
      return result;
    },
    { step: "deserialize", name: "logtapGoogMetadata" },
  );
  try {
    const r = await s3.send(cmd, { abortSignal: signal });
    return { size: r.ContentLength ?? -1, sha256: r.Metadata?.[SHA256_META] ?? goog };
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.$metadata?.httpStatusCode === 404 || err.name === "NotFound" || err.name === "NoSuchKey") return null;
    throw e;
  }
}
