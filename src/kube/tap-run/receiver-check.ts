/**
 * §22.3 step 7, the receiver pre-check: `GET <target>/metrics` within 5 s, where any HTTP answer counts as reachable.
 * `http://` unless the target names its scheme; an https receiver's certificate is not judged here (it is often
 * self-signed for a port-forward, and whether the forwarder trusts it is the forwarder's configuration): the check
 * is only whether something answers.
 */

import { CliError, EXIT } from "../../common/errors.ts";
import { parseTarget, targetUrl } from "../tap/target.ts";

export const RECEIVER_CHECK_TIMEOUT_MS = 5000;

/** Why the receiver did not answer, as one short phrase, or null when it answered. */
export async function receiverProblem(target: string, timeoutMs = RECEIVER_CHECK_TIMEOUT_MS): Promise<string | null> {
  const t = parseTarget(target);
  if (typeof t === "string") return t;
  const url = `${targetUrl(t)}/metrics`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), tls: { rejectUnauthorized: false }, redirect: "manual" } as RequestInit);
    await res.body?.cancel();
    return null;
  } catch (e) {
    return `GET ${url}: ${describe(e, timeoutMs)}`;
  }
}

function describe(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; code?: string; message?: string };
  if (err?.name === "TimeoutError") return `timeout: no answer within ${timeoutMs / 1000}s`;
  if (err?.code === "ConnectionRefused" || err?.code === "ECONNREFUSED") return "connection refused";
  if (err?.code === "ENOTFOUND" || err?.code === "EAI_AGAIN" || /getaddrinfo|DNS/i.test(err?.message ?? "")) return "no such host";
  return (err?.message ?? String(e)).split("\n")[0]!;
}

/** The warning line and the error of a failed pre-check (exit 5: the network, worth a retry). */
export function receiverCheckFailure(problem: string): { warning: string; error: CliError } {
  return {
    warning: `Warning: receiver not reachable: ${problem} (use --force to proceed)`,
    error: new CliError(`receiver pre-check failed (use --force to proceed): ${problem}`, EXIT.network),
  };
}
