import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startReceiver, type RunningReceiver } from "../support/receiver-process.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { waitFor } from "../support/wait-for.ts";

describe("recv endpoints", () => {
  let r: RunningReceiver;
  beforeAll(async () => {
    r = await startReceiver(["--stats-interval", "200ms"]);
  });
  afterAll(async () => {
    await r.stop("SIGKILL").catch(() => {});
  });

  test("health, readiness and version", async () => {
    for (const path of ["/ready", "/readyz", "/healthz"]) {
      const res = await fetch(r.url + path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    }
    const v = await fetch(r.url + "/api/version");
    const body = await v.text();
    expect(body.endsWith("\n")).toBe(true);
    expect(JSON.parse(body)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), api: 1 });
    expect((await fetch(r.url + "/")).status).toBe(200);
  });

  test("unknown path is 404, wrong method is 405 with Allow", async () => {
    const nf = await fetch(r.url + "/nope");
    expect(nf.status).toBe(404);
    expect(await nf.text()).toBe("404 page not found\n");
    const wrong = await fetch(r.url + "/loki/api/v1/push");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });

  test("/metrics is Prometheus text with every logtap_* metric, and counts move", async () => {
    const before = await r.metrics();
    for (const name of [
      "logtap_logs_received_total",
      "logtap_logs_dropped_total",
      "logtap_bytes_written_total",
      "logtap_disk_usage_bytes",
      "logtap_active_connections",
      "logtap_backpressure_events_total",
      "logtap_push_duration_seconds_count",
      "logtap_writer_queue_length",
      'logtap_rotation_total{reason="size"}',
      "logtap_rotation_errors_total",
    ]) {
      expect(before[name]).toBeNumber();
    }
    const body = lokiJson([{ labels: { app: "m" }, values: Array.from({ length: 10 }, (_, i) => [`${1700000000000000000 + i}`, `line ${i}`] as [string, string]) }]);
    expect((await push(r.url, body, { "content-type": "application/json" })).status).toBe(204);
    // Frames are closed at least once a second; wait for the write to land.
    let after = await r.metrics();
    for (let i = 0; i < 50 && after.logtap_bytes_written_total === before.logtap_bytes_written_total; i++) {
      await Bun.sleep(100);
      after = await r.metrics();
    }
    expect(after.logtap_logs_received_total - before.logtap_logs_received_total).toBe(10);
    expect(after.logtap_logs_written_total - before.logtap_logs_written_total).toBe(10);
    expect(after.logtap_bytes_written_total).toBeGreaterThan(before.logtap_bytes_written_total);
    expect(after.logtap_disk_usage_bytes).toBeGreaterThan(0);
    expect(after.logtap_push_duration_seconds_count - before.logtap_push_duration_seconds_count).toBe(1);
    const text = await (await fetch(r.url + "/metrics")).text();
    expect(text).toContain("# TYPE logtap_push_duration_seconds histogram");
    expect(text).toContain("# TYPE logtap_logs_received_total counter");
  });

  test("headless mode prints a short status line on stderr periodically", async () => {
    // The 2023 timestamps pushed above are more than a week old by now: the skew part appears with them.
    const status = /recv: \d[\d,]* received \([\d,]+\/s\), [\d,]+ written, [\d,]+ dropped(, [\d,]+ skewed \([\d,]+ > 7d old, [\d,]+ > 10m ahead\))?, queue \d+\/65,536, disk [\d.]+ [KMG]?B \/ 50\.0 GB\n/g;
    // --stats-interval 200ms: two lines soon (a single line could have been printed once at start).
    await waitFor(() => (r.stderr().match(status) ?? []).length >= 2, 4_000, "two status lines");
  });
});
