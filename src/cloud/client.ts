/**
 * One S3Client per command run, set up for the URL's store: AWS with the SDK's standard credential chain (environment,
 * shared config and credentials files with profiles and SSO, web identity / IRSA, container and instance metadata);
 * an S3-compatible endpoint; or GCS's XML API with an HMAC key or a bearer token (gcs-auth.ts).
 *
 * Off AWS, checksums are sent only where an API requires them: since client-s3 3.729 the SDK adds CRC32 checksums
 * and aws-chunked streaming trailers by default, which GCS (SignatureDoesNotMatch, 412 on CompleteMultipartUpload),
 * R2, MinIO and others reject or store as part of the object.
 */

import { S3Client } from "@aws-sdk/client-s3";
import type { FinalizeHandler, FinalizeHandlerArguments, MetadataBearer } from "@aws-sdk/types";
import { cloudError } from "./cloud-errors.ts";
import { resolveEndpoint } from "./endpoint.ts";
import { resolveGcsAuth, type GcsAuth } from "./gcs-auth.ts";
import type { CloudUrl } from "./url.ts";

export interface CloudClient {
  s3: S3Client;
  url: CloudUrl;
  /** Shown in network errors; "AWS S3" when the SDK picks the endpoint. */
  endpointText: string;
  /** Presigned URLs need a signing key: false for a GCS bearer token. */
  canPresign: boolean;
}

type Env = Record<string, string | undefined>;

/** AWS region from the SDK's own sources (AWS_REGION, the profile); S3 redirects a wrong guess, so us-east-1 will do. */
async function awsRegion(): Promise<string> {
  const probe = new S3Client({});
  try {
    return await probe.config.region();
  } catch {
    return "us-east-1";
  } finally {
    probe.destroy();
  }
}

/** The SDK signs every request; for a bearer token the signature is replaced by the token after signing. */
function useBearerToken(s3: S3Client, token: string): void {
  s3.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>) => async (args: FinalizeHandlerArguments<object>) => {
      const req = args.request as { headers: Record<string, string> };
      for (const h of Object.keys(req.headers)) {
        if (/^(authorization|x-amz-date|x-amz-security-token|x-amz-content-sha256)$/i.test(h)) delete req.headers[h];
      }
      req.headers.authorization = `Bearer ${token}`;
      return next(args);
    },
    { name: "logtapBearerToken", relation: "after", toMiddleware: "httpSigningMiddleware" },
  );
}

export async function createCloudClient(url: CloudUrl, opts: { endpoint?: string; env: Env }): Promise<CloudClient> {
  const endpoint = resolveEndpoint(url.scheme, opts.endpoint, opts.env);
  const gcs: GcsAuth | undefined = url.scheme === "gs" ? resolveGcsAuth(opts.env) : undefined;
  const region = url.scheme === "gs" ? "auto" : await awsRegion();
  const s3 = new S3Client({
    region,
    ...(endpoint.url === undefined ? {} : { endpoint: endpoint.url }),
    forcePathStyle: endpoint.custom,
    followRegionRedirects: !endpoint.custom,
    ...(endpoint.custom ? { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" } : {}),
    ...(gcs === undefined
      ? {}
      : { credentials: gcs.kind === "hmac" ? { accessKeyId: gcs.accessKeyId, secretAccessKey: gcs.secretAccessKey } : { accessKeyId: "bearer", secretAccessKey: "bearer" } }),
  });
  if (gcs?.kind === "bearer") useBearerToken(s3, gcs.token);
  const text = endpoint.url ?? "AWS S3";
  // Credentials first, so a missing or refused one is reported once, not as the failure of some file.
  try {
    await s3.config.credentials();
  } catch (e) {
    s3.destroy();
    throw cloudError(e, "credentials", { bucket: url.bucket, endpointText: text });
  }
  return { s3, url, endpointText: text, canPresign: gcs?.kind !== "bearer" };
}
