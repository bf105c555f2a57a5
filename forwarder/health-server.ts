/**
 * The health server (§23.4): `GET /healthz` → 200 `{"status":"ok"}` (the sidecar's liveness probe), `GET /metrics`
 * → Prometheus text. A bind failure is logged and ignored, as upstream does: forwarding matters more than the probe.
 */

import type { ForwarderMetrics } from "../src/forward/forwarder-metrics.ts";
import type { ListenAddress } from "../src/recv/listen-address.ts";

export interface HealthServer {
  port: number;
  stop(): void;
}

export function startHealthServer(at: ListenAddress, metrics: ForwarderMetrics, log: (line: string) => void): HealthServer | undefined {
  try {
    const server = Bun.serve({
      hostname: at.hostname,
      port: at.port,
      fetch(req) {
        const path = new URL(req.url).pathname;
        if (path === "/healthz") return Response.json({ status: "ok" });
        if (path === "/metrics") return new Response(metrics.render(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
        // Go's net/http answer for an unknown path.
        return new Response("404 page not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
      },
    });
    log(`health server listening on ${at.hostname.includes(":") ? `[${at.hostname}]` : at.hostname}:${server.port}`);
    return { port: server.port!, stop: () => server.stop(true) };
  } catch (e) {
    log(`health server: ${(e as Error).message}`);
    return undefined;
  }
}
