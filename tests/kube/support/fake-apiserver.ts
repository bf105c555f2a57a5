/**
 * A small HTTPS API server for the cluster layer's tests (node:https under Bun, certificates from pki.ts): it can
 * demand a client certificate in the TLS handshake (mutual TLS) or a bearer token, answers /version and a pod
 * list by default, records every request, and takes extra routes per test. The strict stand-in cluster lives in
 * tests/kube-stand-in/; this one only has to prove what reaches the wire.
 */

import https from "node:https";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { pki } from "./pki.ts";

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The TLS client certificate verified against the cluster CA. */
  clientCert: boolean;
  /** SNI the client sent. */
  servername: string | false | undefined;
}

export type Handler = (req: SeenRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeApiServerOptions {
  /** "client-cert": the TLS handshake demands a certificate signed by the cluster CA. */
  auth?: "client-cert" | "none" | { tokens: string[] };
  /** Serve this certificate instead of the 127.0.0.1 one. */
  cert?: string;
  key?: string;
}

export interface FakeApiServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  /** Routes added later win over earlier ones and the defaults. */
  route(method: string, path: string | RegExp, handler: Handler): void;
  close(): Promise<void>;
}

export const VERSION = { major: "1", minor: "32", gitVersion: "v1.32.3", platform: "linux/amd64" };
export const POD_NAMES = ["web-7d9c-abcde", "web-7d9c-fghij"];

export function status(res: ServerResponse, code: number, reason: string, message: string, details: object = {}): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code }));
}

export function json(res: ServerResponse, body: unknown, code = 200): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export function podList(names = POD_NAMES): object {
  return {
    kind: "PodList",
    apiVersion: "v1",
    metadata: { resourceVersion: "100" },
    items: names.map((name) => ({ metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: "99" }, spec: { containers: [{ name: "app", image: "nginx" }] } })),
  };
}

export async function startFakeApiServer(opts: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const p = pki();
  const auth = opts.auth ?? "client-cert";
  const requests: SeenRequest[] = [];
  const routes: { method: string; path: string | RegExp; handler: Handler }[] = [
    { method: "GET", path: "/version", handler: (_q, res) => json(res, VERSION) },
    { method: "GET", path: "/api/v1/namespaces/default/pods", handler: (_q, res) => json(res, podList()) },
  ];
  const server = https.createServer(
    {
      key: opts.key ?? p.serverKey,
      cert: opts.cert ?? p.serverCert,
      ca: p.ca,
      requestCert: auth === "client-cert",
      rejectUnauthorized: auth === "client-cert",
    },
    async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const url = new URL(req.url ?? "/", "https://x");
      const sock = req.socket as unknown as { authorized?: boolean; servername?: string | false };
      const seen: SeenRequest = { method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body, clientCert: sock.authorized === true, servername: sock.servername };
      requests.push(seen);
      if (typeof auth === "object") {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
        if (!token || !auth.tokens.includes(token)) return status(res, 401, "Unauthorized", "Unauthorized");
      }
      const route = routes.findLast((r) => r.method === seen.method && (typeof r.path === "string" ? r.path === seen.path : r.path.test(seen.path)));
      if (!route) return status(res, 404, "NotFound", "the server could not find the requested resource");
      try {
        await route.handler(seen, res);
      } catch (e) {
        if (!res.headersSent) status(res, 500, "InternalError", String(e));
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    route: (method, path, handler) => routes.push({ method, path, handler }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
