/**
 * Is the receiver a tapped workload forwards to up? `GET <target>/metrics` within 3 s (§22.8), where any HTTP answer
 * counts, as upstream's did. Targets may be URLs now (Q17): a bare `host[:port]` is http, `https://` is TLS.
 *
 * An https receiver's certificate is checked against this machine's CAs (and NODE_EXTRA_CA_CERTS) first. When it
 * does not verify — a receiver started with its own CA (`recv --tls-cert`) is the usual case — the GET is made again
 * without verification: the question is whether the receiver answers, the forwarder in the cluster is the one that
 * must trust it, and nothing secret is sent. The result says the certificate was not verified, and why.
 */

import { parseTarget, targetUrl } from "./tap/target.ts";

export const RECEIVER_PROBE_TIMEOUT_MS = 3000;

export interface ReceiverProbe {
  target: string;
  /** The URL asked: `<scheme>://host[:port]/metrics`. */
  url: string;
  reachable: boolean;
  /** Why not, when not reachable. */
  error?: string;
  /** https only: null when the certificate verified, else why it did not (the answer was read unverified). */
  certificateProblem?: string | null;
  /** The answer's body (for `status`: the receiver's Prometheus text), when asked for and readable. */
  body?: string;
}

const FETCH_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ConnectionRefused: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "no such host (DNS lookup failed)",
  ENETUNREACH: "network is unreachable",
  EHOSTUNREACH: "host is unreachable",
};

const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|VERIFY|ALTNAME/;

/** `http://` unless the target names its scheme (§22.3 step 7); an unparsable annotation is tried as upstream did. */
export function metricsUrl(target: string): string {
  const t = parseTarget(target);
  if (typeof t !== "string") return `${targetUrl(t)}/metrics`;
  return `${/^https?:\/\//.test(target) ? target : `http://${target}`}/metrics`;
}

export async function probeReceiver(target: string, opts: { readBody?: boolean; timeoutMs?: number } = {}): Promise<ReceiverProbe> {
  const url = metricsUrl(target);
  const timeoutMs = opts.timeoutMs ?? RECEIVER_PROBE_TIMEOUT_MS;
  if (target === "") return { target, url, reachable: false, error: "no target recorded" };
  // One budget for both attempts and the body.
  const signal = AbortSignal.timeout(timeoutMs);
  const https = url.startsWith("https://");
  let certificateProblem: string | null | undefined = https ? null : undefined;
  let res: Response;
  try {
    try {
      res = await fetch(url, { signal, redirect: "manual" });
    } catch (e) {
      const code = errorCode(e);
      if (!https || !CERTIFICATE_ERROR.test(code)) throw e;
      certificateProblem = `${(e as Error).message} (${code})`;
      res = await fetch(url, { signal, redirect: "manual", tls: { rejectUnauthorized: false } } as RequestInit);
    }
  } catch (e) {
    return { target, url, reachable: false, error: describe(e, timeoutMs), ...(certificateProblem ? { certificateProblem } : {}) };
  }
  let body: string | undefined;
  if (opts.readBody) body = await res.text().catch(() => undefined);
  else await res.body?.cancel().catch(() => undefined);
  return { target, url, reachable: true, ...(certificateProblem !== undefined ? { certificateProblem } : {}), ...(body !== undefined ? { body } : {}) };
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "";
}

function describe(e: unknown, timeoutMs: number): string {
  if ((e as Error | undefined)?.name === "TimeoutError") return `no answer within ${timeoutMs / 1000}s`;
  const code = errorCode(e);
  return FETCH_ERRORS[code] ?? ((e as Error | undefined)?.message?.split("\n")[0] || String(e));
}
