/**
 * fetch() for long-lived streams, over node:https: Bun's fetch serves at most 256 requests at once per process
 * (BUN_CONFIG_MAX_HTTP_REQUESTS, read at start-up, so a running process cannot raise it), and the 257th waits —
 * `recv --follow` with 500 containers would see half its log streams time out before they start. node:https under
 * Bun has no such limit and takes the same TLS material (CA, client certificate, SNI). The answer is a WHATWG
 * Response, so the transport handles it like fetch's: the status, the headers, the body as a byte stream (paused
 * while its reader does not read: backpressure reaches the socket), an abort that tears the connection down, and a
 * connection that drops mid-body surfacing as a read error, not as a clean end.
 */

import { request as httpRequest, type IncomingMessage } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import type { TlsMaterial } from "./tls-material.ts";

export interface NodeFetchInit {
  method: string;
  headers: Headers;
  body?: string;
  signal: AbortSignal;
  tls: TlsMaterial;
}

/**
 * No pooling (each stream holds its connection until it ends), but TLS sessions are resumed: opening hundreds of
 * streams costs the API server and us a fraction of the full handshakes.
 */
const agent = new Agent({ keepAlive: false, maxSockets: Infinity, maxCachedSessions: 1000 });

export function nodeHttpsFetch(url: URL, init: NodeFetchInit): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (init.signal.aborted) return reject(init.signal.reason);
    const headers: Record<string, string> = {};
    init.headers.forEach((v, k) => (headers[k] = v));
    const { ca, cert, key, rejectUnauthorized, serverName } = init.tls;
    const tls = { ca, cert, key, rejectUnauthorized, servername: serverName };
    const respond = (res: IncomingMessage) => resolve(toResponse(res, () => req.destroy()));
    const req = url.protocol === "http:" ? httpRequest(url, { method: init.method, headers }, respond) : httpsRequest(url, { method: init.method, headers, agent, ...tls }, respond);
    const onAbort = () => req.destroy(init.signal.reason as Error);
    init.signal.addEventListener("abort", onAbort, { once: true });
    req.on("close", () => init.signal.removeEventListener("abort", onAbort));
    req.on("error", reject);
    req.end(init.body);
  });
}

function toResponse(res: IncomingMessage, destroy: () => void): Response {
  // Once the stream is closed, errored or cancelled, late socket events must not touch its controller (which throws).
  let settled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        controller.error(e);
      };
      res.on("data", (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) res.pause();
      });
      res.on("end", () => {
        if (settled) return;
        settled = true;
        controller.close();
      });
      res.on("error", fail);
      // A connection that closes before the body's end is a failure, as fetch reports it.
      res.on("close", () => fail(Object.assign(new Error("the connection closed before the answer ended"), { code: "ECONNRESET" })));
    },
    pull() {
      res.resume();
    },
    cancel() {
      settled = true;
      destroy();
    },
  });
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  return new Response(body, { status: res.statusCode ?? 500, statusText: res.statusMessage, headers });
}
