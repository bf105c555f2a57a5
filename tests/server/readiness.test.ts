import { expect, test } from "bun:test";
import { IngestQueue } from "../../pipeline/sources/ingest-queue.ts";
import { startReceiverServer } from "../../src/server/receiver-server.ts";
import { createReceiverMetrics } from "../../src/recv/receiver-metrics.ts";
import { PushIntake } from "../../src/recv/push-intake.ts";
import { AuditLog } from "../../src/capture/audit-log.ts";
import { PushDecodePool } from "../../src/server/push-decode-pool.ts";
import { tempDir } from "../support/receiver-process.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";

test("/readyz and /ready answer 503 exactly while the ingest queue is full, and pushes are then dropped, not awaited", async () => {
  // Nothing reads this queue, so it stays full once filled: the state a stalled disk would cause.
  const queue = new IngestQueue(3);
  const metrics = createReceiverMetrics([]);
  const intake = new PushIntake(queue, metrics, new AuditLog(tempDir()));
  const decodePool = new PushDecodePool({ redact: null, size: 1 });
  const server = startReceiverServer({ listen: { hostname: "127.0.0.1", port: 0, loopback: true }, queue, metrics, intake, limits: { maxBody: 1 << 20, maxDecoded: 1 << 20 }, decodePool });
  const url = server.url.href.replace(/\/$/, "");
  try {
    expect((await fetch(url + "/readyz")).status).toBe(200);
    const body = lokiJson([{ labels: { a: "b" }, values: [["1", "x"], ["2", "y"]] }]);
    expect((await push(url, body, { "content-type": "application/json" })).status).toBe(204);
    expect((await fetch(url + "/readyz")).status).toBe(200);
    const started = performance.now();
    expect((await push(url, body, { "content-type": "application/json" })).status).toBe(204);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(queue.length).toBe(3);
    const res = await fetch(url + "/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "not_ready", reason: "writer backpressure" });
    expect((await fetch(url + "/ready")).status).toBe(503);
    expect(metrics.received.value).toBe(3);
    expect(metrics.dropped.value).toBe(1);
  } finally {
    server.stop(true);
    decodePool.close();
  }
});
