/**
 * Prefixes a cluster error with what was being done (`get deployment web: …`, §22.3 step 8) while keeping what
 * callers and the exit code depend on: the kind, the HTTP status and the Status reason.
 */

import { KubeApiError, KubeError } from "../errors/kube-error.ts";

export function withContext(prefix: string, e: unknown): unknown {
  if (e instanceof KubeApiError) return new KubeApiError(`${prefix}: ${e.message}`, e.status, e.reason, e.body);
  if (e instanceof KubeError) return new KubeError(`${prefix}: ${e.message}`, e.kind, e.exitCode);
  return e;
}
