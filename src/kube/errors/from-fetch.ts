/**
 * A request that got no answer → KubeError: unreachable (5, retry), timeout (5), TLS (1) — with the server's
 * address and, for a timeout, what was asked. Bun reports failures as errno-style codes on the thrown error.
 */

import { KubeError } from "./kube-error.ts";
import { describeRequest, type RequestAttributes } from "./describe-request.ts";

const NETWORK: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ConnectionRefused: "connection refused",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "no such host (DNS lookup failed)",
  ENETUNREACH: "network is unreachable",
  EHOSTUNREACH: "host is unreachable",
  ECONNRESET: "connection reset by the server",
  ConnectionClosed: "the server closed the connection",
  ETIMEDOUT: "connection timed out",
  FailedToOpenSocket: "could not open a connection",
};

const TLS_HINT: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate is not signed by a trusted CA (check certificate-authority in the kubeconfig)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not signed by a trusted CA (check certificate-authority in the kubeconfig)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is not signed by a trusted CA (check certificate-authority in the kubeconfig)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted (check certificate-authority in the kubeconfig)",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is not valid for this host name (tls-server-name sets the name to check)",
  EPROTO: "the TLS handshake failed: the server refused the client certificate, or does not speak TLS on this port",
};

export interface FetchErrorContext {
  server: string;
  /** undefined: the caller's own deadline passed, not our per-request timeout. */
  timeoutMs?: number;
  /** A TLS 1.3 server that refuses our client certificate does so after the handshake: we only see a reset. */
  sentClientCert?: boolean;
}

export function errorFromFetch(err: unknown, req: RequestAttributes, ctx: FetchErrorContext): KubeError {
  const e = err as { code?: unknown; name?: string; message?: string } | undefined;
  const code = typeof e?.code === "string" ? e.code : "";
  if (e?.name === "TimeoutError")
    return new KubeError(
      `${describeRequest(req)}: timeout: the Kubernetes API server at ${ctx.server} did not answer ${ctx.timeoutMs === undefined ? "before the deadline" : `within ${formatMs(ctx.timeoutMs)}`}`,
      "timeout",
    );
  if (NETWORK[code]) {
    const hint = code === "ECONNRESET" && ctx.sentClientCert ? " (a server that requires client certificates may have refused ours)" : "";
    return new KubeError(`cannot reach the Kubernetes API server at ${ctx.server}: ${NETWORK[code]}${hint}`, "unreachable");
  }
  if (TLS_HINT[code] || /CERT|TLS|SSL/.test(code)) {
    return new KubeError(`TLS connection to the Kubernetes API server at ${ctx.server} failed: ${TLS_HINT[code] ?? code} (${code})`, "tls");
  }
  if (code === "UnsupportedProxyProtocol") return new KubeError(`the kubeconfig's proxy-url is not supported: only http:// and https:// proxies are (${ctx.server})`, "config");
  const why = (e?.message ?? String(err)).split("\n")[0];
  return new KubeError(`cannot reach the Kubernetes API server at ${ctx.server}: ${why}${code && !why?.includes(code) ? ` (${code})` : ""}`, "unreachable");
}

/** 30000 → "30s", 1500 → "1.5s", 90000 → "1m30s": how --timeout is written. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const m = Math.floor(ms / 60_000);
  const s = (ms % 60_000) / 1000;
  return m > 0 ? `${m}m${s ? `${s}s` : ""}` : `${s}s`;
}
