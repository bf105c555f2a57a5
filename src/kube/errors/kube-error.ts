/**
 * Every failure of the cluster layer, as one-line messages with the exit codes of the README table. The kinds let
 * commands react (re-read on a conflict, re-list on "gone") without parsing messages.
 */

import { CliError, EXIT } from "../../common/errors.ts";

export type KubeErrorKind =
  | "no-cluster" // nothing configured: no kubeconfig anywhere, not in a pod
  | "config" // a kubeconfig that cannot be used as it stands, or a --context it lacks
  | "missing-file" // a file the kubeconfig names (CA, certificate, key, token, plugin) is not there
  | "credentials" // an exec plugin failed or returned nothing usable
  | "unreachable" // connection refused, DNS, network down, connection reset
  | "timeout" // no answer within --timeout
  | "tls" // the TLS handshake failed: server not trusted, name mismatch, client certificate refused
  | "api"; // the API server answered with an error Status

/** Exit codes: a missing thing is "not found" (3), refused credentials "permission" (4), the network 5 (retry). */
const EXIT_BY_KIND: Record<KubeErrorKind, number> = {
  "no-cluster": EXIT.notFound,
  config: EXIT.usage,
  "missing-file": EXIT.notFound,
  credentials: EXIT.permission,
  unreachable: EXIT.network,
  timeout: EXIT.network,
  tls: EXIT.internal,
  api: EXIT.internal,
};

export class KubeError extends CliError {
  constructor(
    message: string,
    readonly kind: KubeErrorKind,
    exitCode: number = EXIT_BY_KIND[kind],
  ) {
    super(message, exitCode);
    this.name = "KubeError";
  }
}

/** The API server's `kind: Status` body, as far as we read it. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

/** An error answer from the API server: its HTTP status, the Status reason (NotFound, Conflict, …) and message. */
export class KubeApiError extends KubeError {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string,
    readonly body: KubeStatus | undefined,
  ) {
    super(message, "api", exitCodeForStatus(status));
    this.name = "KubeApiError";
  }
}

/** 401/403 → 4, 404 → 3, throttling and an unavailable server → 5 (recoverable); the rest is internal. */
function exitCodeForStatus(status: number): number {
  if (status === 401 || status === 403) return EXIT.permission;
  if (status === 404) return EXIT.notFound;
  if (status === 429 || status === 502 || status === 503 || status === 504) return EXIT.network;
  return EXIT.internal;
}

export const isNotFound = (e: unknown): e is KubeApiError => e instanceof KubeApiError && e.status === 404;
export const isConflict = (e: unknown): e is KubeApiError => e instanceof KubeApiError && e.status === 409;
export const isForbidden = (e: unknown): e is KubeApiError => e instanceof KubeApiError && (e.status === 403 || e.status === 401);
/** 410 Gone: a watch's resourceVersion is older than the server keeps; list again. */
export const isGone = (e: unknown): e is KubeApiError => e instanceof KubeApiError && e.status === 410;
