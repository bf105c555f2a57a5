/**
 * Every request to the API server goes through here: Bun's fetch with the kubeconfig's TLS material and proxy
 * applied (see tls-material.ts for why not client-node's), the credentials' headers, --timeout as an AbortSignal,
 * and every failure turned into a one-line KubeError.
 */

import { KubeError } from "../errors/kube-error.ts";
import { errorFromFetch } from "../errors/from-fetch.ts";
import { apiErrorFromResponse } from "../errors/from-response.ts";
import { describeRequest, requestAttributes, type RequestAttributes } from "../errors/describe-request.ts";
import type { Credentials } from "../auth/credentials.ts";
import type { TlsMaterial } from "./tls-material.ts";
import { nodeHttpsFetch } from "./node-https-fetch.ts";

export type QueryValue = string | number | boolean | undefined;

export interface KubeRequest {
  /** GET unless given. */
  method?: string;
  /** API path: "/api/v1/namespaces/default/pods". */
  path: string;
  query?: Record<string, QueryValue>;
  /** A string goes as it is; anything else as JSON. */
  body?: unknown;
  /** Default application/json when there is a body. */
  contentType?: string;
  accept?: string;
  /** Extra request headers (services/proxy passes them on to the service: Range, a service's own token). */
  headers?: Record<string, string>;
  /**
   * Hand back every answer, error statuses included, for the caller to read: through services/proxy an error may be
   * the proxied server's own answer rather than the API server's Status.
   */
  anyStatus?: boolean;
  /** Aborts this request (beside the connection's signal and the timeout). */
  signal?: AbortSignal;
}

/** 0 (or less, or Infinity) means no limit, as kubectl's --request-timeout=0 does. */
export const hasTimeout = (ms: number) => ms > 0 && Number.isFinite(ms);

export interface TransportOptions {
  server: string;
  tls: TlsMaterial;
  proxy?: string;
  credentials: Credentials;
  timeoutMs: number;
  /** Aborts every request of this connection (Ctrl+C, a command-wide deadline). */
  signal?: AbortSignal;
  userAgent: string;
  /** The kubeconfig user's name, for messages. */
  user: string;
}

/** A successful answer whose body is still to be read: the timeout has stopped, the caller's signals still apply. */
export interface OpenResponse {
  response: Response;
  attributes: RequestAttributes;
}

export class KubeTransport {
  readonly server: string;

  constructor(private readonly opts: TransportOptions) {
    this.server = /^https?:\/\//.test(opts.server) ? opts.server : `https://${opts.server}`;
    if (opts.proxy && !/^https?:\/\//.test(opts.proxy)) {
      throw new KubeError(`proxy-url ${opts.proxy}: only http:// and https:// proxies are supported`, "config");
    }
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  /** A request whose whole answer is JSON; the timeout covers reading it. Resolves to undefined for an empty body. */
  async json<T>(req: KubeRequest): Promise<T> {
    return this.exchange(req, async (res, attributes) => {
      const text = await res.text();
      if (text === "") return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new KubeError(`${describeRequest(attributes)}: the answer of the API server at ${this.server} is not JSON: ${text.slice(0, 100)}`, "api");
      }
    });
  }

  /** A request whose whole answer is read as text (the typed client-node APIs decode it themselves). */
  async text(req: KubeRequest): Promise<{ status: number; headers: Headers; text: string }> {
    return this.exchange(req, async (res) => ({ status: res.status, headers: res.headers, text: await res.text() }));
  }

  /**
   * A streamed answer (watch, log follow): the timeout bounds only the wait for the response headers, so the stream
   * lives until the server ends it or a signal aborts it. `longLived`: one of possibly hundreds open at once (pod
   * logs), sent over node:https instead of fetch, which serves only 256 at a time (node-https-fetch.ts); not through
   * a proxy-url, which only fetch applies.
   */
  async open(req: KubeRequest, o: { longLived?: boolean } = {}): Promise<OpenResponse> {
    return this.exchange(req, async (response, attributes) => ({ response, attributes }), true, o.longLived === true && !this.opts.proxy);
  }

  /** A failure while reading a streamed body: the caller's abort as it is, anything else as a KubeError. */
  streamError(err: unknown, attributes: RequestAttributes, reqSignal?: AbortSignal): unknown {
    return this.failure(err, attributes, reqSignal);
  }

  private url(req: KubeRequest): URL {
    const url = new URL(this.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private async exchange<T>(req: KubeRequest, read: (res: Response, attributes: RequestAttributes) => Promise<T>, stream = false, viaNode = false): Promise<T> {
    const method = req.method ?? "GET";
    const url = this.url(req);
    const attributes = requestAttributes(method, url);
    const timeout = new AbortController();
    const timer = hasTimeout(this.opts.timeoutMs) ? setTimeout(() => timeout.abort(new DOMException("timeout", "TimeoutError")), this.opts.timeoutMs) : undefined;
    const signals = [timeout.signal, req.signal, this.opts.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = AbortSignal.any(signals);
    const body = req.body === undefined || typeof req.body === "string" ? (req.body as string | undefined) : JSON.stringify(req.body);
    try {
      for (let attempt = 0; ; attempt++) {
        let auth;
        try {
          auth = await this.opts.credentials.forRequest(signal);
        } catch (e) {
          throw this.failure(e, attributes, req.signal);
        }
        const headers = new Headers(req.headers);
        for (const [k, v] of new Headers(auth.headers)) headers.set(k, v);
        headers.set("Accept", req.accept ?? "application/json");
        headers.set("User-Agent", this.opts.userAgent);
        if (body !== undefined) headers.set("Content-Type", req.contentType ?? "application/json");
        const tls = { ...this.opts.tls, ...(auth.cert ? { cert: auth.cert, key: auth.key } : {}) };
        let res: Response;
        try {
          res = await (viaNode ? nodeHttpsFetch(url, { method, headers, body, signal, tls }) : fetch(url, { method, headers, body, signal, tls, proxy: this.opts.proxy, redirect: "manual" }));
        } catch (e) {
          throw this.failure(e, attributes, req.signal, tls.cert !== undefined);
        }
        // A 401 after a credential that can be fetched again (exec plugin, rotated token file): once more.
        if (res.status === 401 && attempt === 0 && this.opts.credentials.refresh()) {
          await res.body?.cancel();
          continue;
        }
        if ((res.status < 200 || res.status >= 300) && !req.anyStatus) {
          throw await apiErrorFromResponse(res, attributes, { server: this.server, user: this.opts.user || "(anonymous)" });
        }
        if (stream) clearTimeout(timer);
        try {
          return await read(res, attributes);
        } catch (e) {
          throw this.failure(e, attributes, req.signal);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** The caller's own abort passes through untouched (it asked for it); everything else becomes a KubeError. */
  private failure(e: unknown, attributes: RequestAttributes, reqSignal: AbortSignal | undefined, sentClientCert = false): unknown {
    if (e instanceof KubeError) return e;
    let timeoutMs: number | undefined = this.opts.timeoutMs;
    if (this.callerAborted(reqSignal)) {
      const reason = (reqSignal?.aborted ? reqSignal : this.opts.signal)!.reason;
      // A caller's deadline (AbortSignal.timeout) is a timeout like ours, of a length we do not know.
      if ((reason as Error | undefined)?.name !== "TimeoutError") return reason;
      timeoutMs = undefined;
    }
    return errorFromFetch(e, attributes, { server: this.server, timeoutMs, sentClientCert });
  }

  private callerAborted(reqSignal: AbortSignal | undefined): boolean {
    return reqSignal?.aborted === true || this.opts.signal?.aborted === true;
  }
}
