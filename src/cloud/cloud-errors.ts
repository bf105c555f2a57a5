/**
 * SDK failures as one-line errors with logtap's exit codes: a missing bucket or object 3, refused credentials or
 * none at all 4, an unreachable endpoint 5 (recoverable). `what` says which step failed (`upload metadata.json`).
 */

import { CliError, EXIT } from "../common/errors.ts";

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "ENETUNREACH", "EHOSTUNREACH", "EAI_AGAIN", "EPIPE", "ConnectionRefused"]);
const DENIED = new Set(["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "AllAccessDisabled", "Forbidden"]);

function networkCode(e: SdkError | undefined, depth = 0): string | undefined {
  if (e === undefined || e === null || depth > 3) return undefined;
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === "TimeoutError") return "ETIMEDOUT";
  return networkCode(e.cause as SdkError | undefined, depth + 1);
}

const NETWORK_TEXT: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ConnectionRefused: "connection refused",
  ETIMEDOUT: "timeout",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "no such host",
  ENETUNREACH: "network is unreachable",
  EHOSTUNREACH: "network is unreachable",
};

export function cloudError(err: unknown, what: string, ctx: { bucket: string; endpointText: string }): CliError {
  if (err instanceof CliError) return err;
  const e = err as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const detail = (e.message ?? String(err)).split("\n")[0]!;
  if (e.name === "CredentialsProviderError" || /could not load credentials/i.test(detail))
    return new CliError(`no credentials: ${detail} (docs/cloud.md, "Credentials")`, EXIT.permission);
  const net = networkCode(e);
  if (net !== undefined) return new CliError(`${what}: ${ctx.endpointText}: ${NETWORK_TEXT[net] ?? net} (${detail})`, EXIT.network);
  if (e.name === "NoSuchBucket") return new CliError(`${what}: bucket ${ctx.bucket} not found`, EXIT.notFound);
  if (e.name === "NoSuchKey" || (status === 404 && e.name === "NotFound")) return new CliError(`${what}: object not found`, EXIT.notFound);
  if (DENIED.has(e.name ?? "") || status === 401 || status === 403)
    return new CliError(`${what}: permission denied: ${e.name ?? status}${detail && detail !== e.name ? `: ${detail}` : ""}`, EXIT.permission);
  if (status !== undefined && status >= 500) return new CliError(`${what}: server error ${status}: ${detail}`, EXIT.network);
  return new CliError(`${what}: ${detail}`, EXIT.internal);
}
