import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { parseWebhookAuth } from "../../src/notify/webhook-auth.ts";
import { WebhookDispatcher } from "../../src/notify/webhook-dispatcher.ts";
import type { Server } from "bun";

interface Received {
  headers: Record<string, string>;
  body: string;
}

describe("webhooks (upstream §3.11) against a real recording server", () => {
  let server: Server<undefined>;
  const got: Received[] = [];
  beforeAll(() => {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        got.push({ headers: Object.fromEntries(req.headers), body: await req.text() });
        return new Response(null, { status: req.url.endsWith("/fail") ? 500 : 204 });
      },
    });
  });
  afterAll(() => server.stop(true));

  test("bearer and HMAC headers, exact bodies, event filter, flush waits for delivery", async () => {
    got.length = 0;
    const url = `http://127.0.0.1:${server.port}/hook`;
    const bearer = new WebhookDispatcher({ urls: [url], events: [], auth: parseWebhookAuth("bearer:tok-1") });
    bearer.send({ event: "start", dir: "./capture" });
    await bearer.flush();
    expect(got).toHaveLength(1);
    expect(got[0]!.headers.authorization).toBe("Bearer tok-1");
    expect(got[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(got[0]!.body)).toEqual({ event: "start", timestamp: expect.stringMatching(/Z$/), dir: "./capture" });
    expect(Object.keys(JSON.parse(got[0]!.body))).toEqual(["event", "timestamp", "dir"]);

    const hmac = new WebhookDispatcher({ urls: [url], events: ["stop", "alert"], auth: parseWebhookAuth("hmac-sha256:s3cret") });
    hmac.send({ event: "rotation", detail: "size" });
    hmac.send({ event: "stop", dir: "d", stats: { lines_written: 3, bytes_written: 10, disk_usage: 5, disk_cap: 100 } });
    await hmac.flush();
    expect(got).toHaveLength(2);
    const stop = got[1]!;
    expect(stop.headers["x-logtap-signature"]).toBe("sha256=" + createHmac("sha256", "s3cret").update(stop.body).digest("hex"));
    expect(Object.keys(JSON.parse(stop.body))).toEqual(["event", "timestamp", "dir", "stats"]);
    expect(JSON.parse(stop.body).stats).toEqual({ lines_written: 3, bytes_written: 10, disk_usage: 5, disk_cap: 100 });
  });

  test("failures are reported, never retried, and never throw", async () => {
    got.length = 0;
    const failures: string[] = [];
    const d = new WebhookDispatcher({
      urls: [`http://127.0.0.1:${server.port}/fail`, "http://127.0.0.1:9/unreachable"],
      events: [],
      auth: null,
      onFailure: (url, reason) => failures.push(`${url} ${reason}`),
    });
    d.send({ event: "error" });
    await d.flush();
    expect(got).toHaveLength(1);
    expect(failures.length).toBe(2);
    expect(failures.some((f) => f.includes("HTTP 500"))).toBe(true);
  });

  test.each([
    ["bearer", 'invalid webhook auth format: expected "bearer:<token>" or "hmac-sha256:<secret>"'],
    ["bearer:", "invalid webhook auth format"],
    ["basic:x", 'unsupported webhook auth mode: "basic" (use bearer or hmac-sha256)'],
  ])("auth spec %p is rejected", (spec, message) => expect(() => parseWebhookAuth(spec)).toThrow(message));
});
