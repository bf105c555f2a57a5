/**
 * Credentials for gs:// through the XML API: an HMAC key (SigV4, so presigned --share URLs work), or an OAuth access
 * token sent as a bearer token — from GOOGLE_OAUTH_ACCESS_TOKEN, else from `gcloud auth print-access-token` when
 * gcloud is installed. A bearer token cannot sign URLs, so --share needs the HMAC key.
 */

import { CliError, EXIT } from "../common/errors.ts";

export type GcsAuth = { kind: "hmac"; accessKeyId: string; secretAccessKey: string } | { kind: "bearer"; token: string };

type Env = Record<string, string | undefined>;

export const NO_GCS_CREDENTIALS =
  "no credentials for gs://: set GOOGLE_HMAC_ACCESS_KEY_ID and GOOGLE_HMAC_SECRET (an HMAC key), or GOOGLE_OAUTH_ACCESS_TOKEN, or sign in with gcloud";

function gcloudToken(env: Env): string | undefined {
  const gcloud = Bun.which("gcloud", { PATH: env.PATH ?? "" });
  if (gcloud === null) return undefined;
  const p = Bun.spawnSync([gcloud, "auth", "print-access-token"], { env: env as Record<string, string>, stdout: "pipe", stderr: "pipe" });
  const token = p.stdout.toString().trim();
  return p.exitCode === 0 && token !== "" ? token : undefined;
}

export function resolveGcsAuth(env: Env): GcsAuth {
  const id = env.GOOGLE_HMAC_ACCESS_KEY_ID;
  const secret = env.GOOGLE_HMAC_SECRET;
  if (id && secret) return { kind: "hmac", accessKeyId: id, secretAccessKey: secret };
  if (id || secret) throw new CliError("GOOGLE_HMAC_ACCESS_KEY_ID and GOOGLE_HMAC_SECRET must be set together", EXIT.usage);
  const token = env.GOOGLE_OAUTH_ACCESS_TOKEN || gcloudToken(env);
  if (token) return { kind: "bearer", token };
  throw new CliError(NO_GCS_CREDENTIALS, EXIT.permission);
}
