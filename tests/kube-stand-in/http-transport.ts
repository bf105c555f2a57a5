/**
 * HTTPS with client certificates, under Bun. Measured on Bun 1.4.5 (see docs/testing.md): Bun.serve verifies
 * client certificates (`tls.requestCert`) but gives the handler no way to read them (the server object offers
 * requestIP only), and node:https under Bun hands requests a socket whose getPeerCertificate is missing. node:tls
 * does expose the peer certificate, and Bun's node:http accepts a TLS socket through `emit("connection")`, so: a
 * node:tls server terminates TLS (requestCert, rejectUnauthorized false: a request without a valid certificate may
 * still authenticate with a token, else it is a 401, as on a real API server) and passes each socket to a node:http
 * server that parses HTTP/1.1. kubectl negotiates HTTP/1.1 here (no h2 in ALPN), which is all it needs.
 *
 * Handlers are written as fetch-style (Request) => Response; the body of a Response streams out chunk by chunk
 * (watches), and a client that goes away cancels it.
 */

import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import tls from "node:tls";
import type { PeerCertificateLike } from "./authn.ts";

export interface PeerInfo {
  /** The TLS layer verified a client certificate against the cluster's CA. */
  authorized: boolean;
  certificate?: PeerCertificateLike;
  remoteAddress: string;
  /** Destroys the connection (a watch dropped by a reset rather than a clean end). */
  reset(): void;
}

export type AppHandler = (request: Request, peer: PeerInfo) => Promise<Response>;

export type Reachability = "serve" | "refuse" | "hang";

export class HttpsTransport {
  private readonly tlsServer: tls.Server;
  private readonly httpServer: http.Server;
  private readonly sockets = new Set<Socket>();
  private mode: Reachability = "serve";
  private resumeHung: (() => void)[] = [];
  private host = "127.0.0.1";
  port = 0;

  constructor(
    material: { cert: string; key: string; ca: string },
    private readonly handler: AppHandler,
  ) {
    this.httpServer = http.createServer((req, res) => void this.onRequest(req, res));
    // Long-running requests (watch, log follow) must not be cut by the server's own timeouts.
    this.httpServer.requestTimeout = 0;
    this.httpServer.headersTimeout = 0;
    this.httpServer.keepAliveTimeout = 60_000;
    this.tlsServer = tls.createServer({ ...material, requestCert: true, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] }, (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("error", () => {});
      this.httpServer.emit("connection", socket);
    });
    this.tlsServer.on("tlsClientError", () => {});
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<number> {
    this.host = host;
    await new Promise<void>((resolve, reject) => {
      this.tlsServer.once("error", reject);
      this.tlsServer.listen(port, host, () => {
        this.tlsServer.off("error", reject);
        resolve();
      });
    });
    this.port = (this.tlsServer.address() as AddressInfo).port;
    return this.port;
  }

  /** serve: normal; refuse: stop listening and drop connections (ECONNREFUSED); hang: accept but never answer. */
  async setReachability(mode: Reachability): Promise<void> {
    if (mode === this.mode) return;
    const was = this.mode;
    this.mode = mode;
    if (was === "hang") for (const r of this.resumeHung.splice(0)) r();
    if (mode === "refuse") {
      // close() stops accepting at once but calls back only when every connection is gone: destroy them first.
      const closed = new Promise<void>((resolve) => this.tlsServer.close(() => resolve()));
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
      await closed;
    } else if (was === "refuse") {
      await this.listen(this.port, this.host);
    }
  }

  get reachability(): Reachability {
    return this.mode;
  }

  async close(): Promise<void> {
    for (const r of this.resumeHung.splice(0)) r();
    const closed = this.mode !== "refuse" ? new Promise<void>((resolve) => this.tlsServer.close(() => resolve())) : Promise.resolve();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
    this.httpServer.close();
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const socket = req.socket as tls.TLSSocket;
    if (this.mode === "hang") {
      await new Promise<void>((resolve) => this.resumeHung.push(resolve));
      if (socket.destroyed) return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    }
    const method = req.method ?? "GET";
    const request = new Request(`https://${req.headers.host ?? `${this.host}:${this.port}`}${req.url ?? "/"}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" || body.length === 0 ? undefined : body,
    });
    let certificate: PeerCertificateLike | undefined;
    try {
      const c = socket.getPeerCertificate?.();
      if (c && Object.keys(c).length) certificate = c as PeerCertificateLike;
    } catch {}
    const peer: PeerInfo = {
      authorized: socket.authorized === true,
      certificate,
      remoteAddress: socket.remoteAddress ?? "",
      reset: () => socket.destroy(),
    };
    let response: Response;
    try {
      response = await this.handler(request, peer);
    } catch (e) {
      response = new Response(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: String((e as Error)?.stack ?? e), reason: "InternalError", code: 500 }), {
        status: 500,
        headers: { "content-type": "application/json" },
      });
    }
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    if (socket.destroyed) {
      await response.body?.cancel().catch(() => {});
      return;
    }
    res.writeHead(response.status, out);
    if (!response.body || method === "HEAD") {
      res.end();
      return;
    }
    // A watch or a log follow may not have a first chunk for a long time; the status line and headers go now, as
    // the real server's do (clients wait for them before reading events).
    res.flushHeaders();
    const reader = response.body.getReader();
    let gone = false;
    res.on("close", () => {
      if (!res.writableFinished) {
        gone = true;
        void reader.cancel().catch(() => {});
      }
    });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || gone) break;
        if (!res.write(value)) await new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve));
      }
      if (!gone) res.end();
    } catch {
      // The stream errored (a watch reset on purpose): the connection is already gone.
      if (!socket.destroyed) socket.destroy();
    }
  }
}
