/** The receiver's HTTP(S) server: push endpoints, health and readiness, version and Prometheus metrics (upstream §3.3). */

import type { Server } from "bun";
import type { IngestQueue } from "../../pipeline/sources/ingest-queue.ts";
import type { ListenAddress } from "../recv/listen-address.ts";
import { VERSION } from "../version.ts";
import { lokiPush } from "./handlers/loki-push.ts";
import { otlpLogs } from "./handlers/otlp-logs.ts";
import { promLegacyPush } from "./handlers/prom-legacy-push.ts";
import { textReply, type PushContext } from "./handlers/push-handler.ts";
import { rawPush } from "./handlers/raw-push.ts";
import { CAPTURE_PATH_PREFIX, captureFilesRoute, type CaptureFilesContext } from "./handlers/capture-files.ts";

export interface ReceiverServerOptions extends PushContext {
  listen: ListenAddress;
  queue: IngestQueue;
  tls?: { cert: string; key: string };
  /** `--serve-capture`: the capture directory, read-only, behind a token (handlers/capture-files.ts); absent = 404. */
  captureFiles?: CaptureFilesContext;
}

type Route = (req: Request, remote: string) => Response | Promise<Response>;

const JSON_HEADERS = { "content-type": "application/json" };

export function startReceiverServer(o: ReceiverServerOptions): Server<undefined> {
  const ready: Route = () =>
    o.queue.full
      ? new Response(JSON.stringify({ status: "not_ready", reason: "writer backpressure" }), { status: 503, headers: JSON_HEADERS })
      : new Response(JSON.stringify({ status: "ok" }), { headers: JSON_HEADERS });
  const routes: Record<string, Record<string, Route>> = {
    "/loki/api/v1/push": { POST: (req, remote) => lokiPush(req, remote, o) },
    "/api/prom/push": { POST: (req, remote) => promLegacyPush(req, remote, o) },
    "/otlp/v1/logs": { POST: (req, remote) => otlpLogs(req, remote, o) },
    "/logtap/raw": { POST: (req, remote) => rawPush(req, remote, o) },
    "/ready": { GET: ready },
    "/readyz": { GET: ready },
    "/healthz": { GET: () => new Response(JSON.stringify({ status: "ok" }), { headers: JSON_HEADERS }) },
    "/api/version": { GET: () => new Response(JSON.stringify({ version: VERSION, api: 1 }) + "\n", { headers: JSON_HEADERS }) },
    "/metrics": {
      GET: () => new Response(o.metrics.registry.render(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } }),
    },
    // Vector's Loki healthcheck falls back to GET / when /ready is missing.
    "/": { GET: () => textReply(200, `logtap ${VERSION} receiver`) },
  };
  return Bun.serve({
    hostname: o.listen.hostname,
    port: o.listen.port,
    // Headroom above --max-body so our own 413 (with a reason) answers rather than a dropped connection.
    maxRequestBodySize: o.limits.maxBody + 1024 * 1024,
    tls: o.tls,
    idleTimeout: 120,
    fetch(req, server) {
      const path = new URL(req.url).pathname;
      if (o.captureFiles && path.startsWith(CAPTURE_PATH_PREFIX)) return captureFilesRoute(req, path, o.captureFiles);
      const methods = routes[path];
      if (methods === undefined) return textReply(404, "404 page not found");
      const route = methods[req.method] ?? (req.method === "HEAD" ? methods.GET : undefined);
      if (route === undefined) {
        return new Response("Method Not Allowed\n", { status: 405, headers: { allow: Object.keys(methods).join(", ") } });
      }
      return route(req, server.requestIP(req)?.address ?? "");
    },
    error(err) {
      return textReply(500, `internal error: ${err.message.split("\n")[0]}`);
    },
  });
}
