/**
 * Which server a cloud URL talks to. AWS when nothing says otherwise; an S3-compatible store (MinIO, R2, Ceph) when
 * `--endpoint` or an environment variable names one; GCS's XML API for gs://. A custom endpoint is addressed
 * path-style (`https://host/bucket/key`): every S3-compatible store serves it, while virtual-hosted names need
 * wildcard DNS that local and self-hosted stores rarely have.
 */

import { UsageError } from "../common/errors.ts";
import type { CloudScheme } from "./url.ts";

export const GCS_XML_ENDPOINT = "https://storage.googleapis.com";

export interface Endpoint {
  /** undefined: AWS itself, the SDK picks the regional endpoint. */
  url: string | undefined;
  /** Not AWS: path-style addressing and checksums only where the API requires them. */
  custom: boolean;
}

type Env = Record<string, string | undefined>;

/** The SDK's own switch for ignoring endpoint variables is honoured, since the SDK would honour it too. */
function awsEndpointFromEnv(env: Env): string | undefined {
  if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "")) return undefined;
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

function checked(url: string, source: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`invalid ${source} "${url}": expected http(s)://host[:port]`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`invalid ${source} "${url}": expected http(s)://host[:port]`);
  return url.replace(/\/+$/, "");
}

/** Precedence: `--endpoint`, then LOGTAP_S3_ENDPOINT / LOGTAP_GCS_ENDPOINT, then (s3 only) the SDK's AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL. */
export function resolveEndpoint(scheme: CloudScheme, flag: string | undefined, env: Env): Endpoint {
  if (flag !== undefined && flag !== "") return { url: checked(flag, "--endpoint"), custom: true };
  if (scheme === "gs") {
    const fromEnv = env.LOGTAP_GCS_ENDPOINT;
    return { url: fromEnv ? checked(fromEnv, "LOGTAP_GCS_ENDPOINT") : GCS_XML_ENDPOINT, custom: true };
  }
  if (env.LOGTAP_S3_ENDPOINT) return { url: checked(env.LOGTAP_S3_ENDPOINT, "LOGTAP_S3_ENDPOINT"), custom: true };
  const aws = awsEndpointFromEnv(env);
  if (aws) return { url: checked(aws, "AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL"), custom: true };
  return { url: undefined, custom: false };
}
