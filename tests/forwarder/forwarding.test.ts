/**
 * The forwarder reading its pod's sibling containers through the stand-in (as the pod's service account, with the
 * Role tap creates) and pushing to a real `logtap recv`: every scripted line exactly once and in order per
 * container, across a log rotation, a container restart and runtime-split lines, with §23.3's labels plus `app`;
 * a receiver that is down (retries, then the bounded buffer: evictions counted in /metrics) and comes back (drained
 * in order); 4xx refused without a retry, 429 and 5xx retried; the JSON format; an https receiver with and without
 * LOGTAP_TLS_SKIP_VERIFY; SIGTERM pushing what was pending, and giving up on what cannot go within its budget.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJson } from "../../src/protocols/loki/decode-json.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { makeTestCerts } from "../support/tls-certs.ts";
import { startReceiver, type RunningReceiver } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";
import { createPod, forwarderTargets, grantForwarderRole, podEnv, serviceAccountDir, SESSION, startCluster, startForwarder, tappedPod, waitRunning, type Cluster } from "./fixtures.ts";

let cluster: Cluster;
let saDir: string;
beforeAll(async () => {
  cluster = await startCluster();
  saDir = await serviceAccountDir(cluster);
  await grantForwarderRole(cluster);
});
afterAll(() => cluster?.stop());

const target = forwarderTargets()[0]!;
const nsOf = (ts: string) => {
  const m = /^(.{19})(?:\.(\d+))?Z$/.exec(ts)!;
  return BigInt(Date.parse(m[1] + "Z") / 1000) * 1_000_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
};

/** A port nothing listens on yet (a receiver is started there later). */
function freePort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

async function capture(recv: RunningReceiver) {
  await recv.stop();
  return entriesViaZstdCli(recv.dir);
}

describe(`forwarding (${target.name})`, () => {
  test("every scripted line exactly once, in order per container, across a rotation, a restart and split lines", async () => {
    const recv = await startReceiver();
    // The first rotation comes 1.5 s in, after the forwarder has started: what rotated away before it looked is
    // not its to read (the node keeps only the current file).
    const scripts = {
      app: { template: "app line {n} (instance {restart})", count: 400, rate: 100, rotateEvery: 150, restartAfter: 250 },
      side: { template: `side {n} ${"x".repeat(90)}`, count: 120, rate: 100, partialEvery: 40 },
    };
    await createPod(cluster, tappedPod("exact-0", { scripts, labels: { "app.kubernetes.io/name": "shop", app: "ignored" } }));
    await waitRunning(cluster, "exact-0", "app");
    const f = startForwarder(target, podEnv(cluster, saDir, "exact-0", recv.url.slice("http://".length)));
    await waitFor(async () => ((await recv.metrics()).logtap_logs_written_total ?? 0) >= 520, 40_000, "520 lines in the capture");
    // The receiver can have written a push before the forwarder has counted its answer.
    let m = await f.metrics();
    await waitFor(async () => (m = await f.metrics()).logtap_forwarder_lines_pushed_total === 520, 10_000, "every push's answer counted");
    expect(await f.stop()).toBe(0);
    const got = await capture(recv);
    expect(got).toHaveLength(520);
    for (const container of ["app", "side"]) {
      const truth = cluster.kubelet.kubelet.container("default", "exact-0", container).history();
      const mine = got.filter((e) => e.labels?.container === container);
      expect(mine.map((e) => e.msg)).toEqual(truth.map((h) => h.text));
      expect(mine.map((e) => nsOf(e.ts))).toEqual(truth.map((h) => BigInt(h.ns)));
      expect(mine[0]!.labels).toEqual({ app: "shop", container, namespace: "default", pod: "exact-0", session: SESSION });
    }
    const app = cluster.kubelet.kubelet.container("default", "exact-0", "app").history();
    expect(new Set(app.map((h) => h.restartCount))).toEqual(new Set([0, 1]));
    expect(new Set(app.map((h) => h.file)).size).toBeGreaterThan(1);
    expect(m.logtap_forwarder_lines_read_total).toBe(520);
    expect(m.logtap_forwarder_lines_pushed_total).toBe(520);
    expect(m['logtap_forwarder_gaps_total{reason="rotated"}']).toBe(0);
  });

  test("receiver down: retries, then the bounded buffer (evictions counted); back: drained in order", async () => {
    const port = freePort();
    await createPod(cluster, tappedPod("down-0", { scripts: { app: { template: "down line {n}", count: 300, rate: 150 } } }));
    await waitRunning(cluster, "down-0", "app");
    const f = startForwarder(target, podEnv(cluster, saDir, "down-0", `127.0.0.1:${port}`, { LOGTAP_RETRY_MAX: "2", LOGTAP_BUFFER_SIZE: "3000" }));
    await f.waitForLog(/^push attempt 1\/2 failed, retrying in 1s: POST http:\/\/127\.0\.0\.1:\d+\/loki\/api\/v1\/push: .+$/m);
    await f.waitForLog(/^push error, buffering \d+ lines: /m);
    const held = (m: Record<string, number>) => m.logtap_forwarder_buffer_lines! + m['logtap_forwarder_drops_total{reason="evicted"}']!;
    await waitFor(async () => held(await f.metrics()) === 300, 20_000, "all 300 lines read and buffered or evicted while the receiver is down");
    const down = await f.metrics();
    expect(down.logtap_forwarder_retries_total).toBeGreaterThanOrEqual(1);
    expect(down.logtap_forwarder_lines_pushed_total).toBe(0);
    expect(down['logtap_forwarder_drops_total{reason="evicted"}']).toBeGreaterThan(0);
    // The bound holds, give or take the push just added and the one on the wire (each at most a quarter of it).
    expect(down.logtap_forwarder_buffer_usage_bytes).toBeLessThanOrEqual(1.5 * 3000);
    expect(down.logtap_forwarder_lines_read_total).toBe(300);
    expect(f.stderr()).toMatch(/^retry buffer full \(3000 bytes\), evicted \d+ oldest batches \(\d+ lines\)$/m);

    const recv = await startReceiver(["--listen", `127.0.0.1:${port}`]);
    await f.waitForLog(/^push succeeded, draining \d+ buffered batches \(\d+ lines\)$/m, 40_000);
    await waitFor(async () => (await f.metrics()).logtap_forwarder_buffer_lines === 0, 10_000, "the buffer drained");
    const back = await f.metrics();
    expect(await f.stop()).toBe(0);
    const got = (await capture(recv)).map((e) => Number(/^down line (\d+)$/.exec(e.msg)![1]));
    expect(got.length + back['logtap_forwarder_drops_total{reason="evicted"}']!).toBe(300);
    expect(back.logtap_forwarder_lines_pushed_total).toBe(got.length);
    // Newest kept, in order, none twice.
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(new Set(got).size).toBe(got.length);
    expect(got.slice(-20)).toEqual(Array.from({ length: 20 }, (_, i) => 281 + i));
  }, 60_000);

  test("4xx is refused for good (counted, never retried); 429 and 5xx are retried; the JSON format", async () => {
    const answers = [429, 503, 204, 400, 204];
    const seen: { status: number; type: string; lines: string[] }[] = [];
    const fake = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        const status = answers[Math.min(seen.length, answers.length - 1)]!;
        const lines = decodeJson(new Uint8Array(await req.arrayBuffer())).map((e) => e.msg);
        seen.push({ status, type: req.headers.get("content-type") ?? "", lines });
        return new Response(status === 204 ? null : `status ${status}`, { status, headers: status === 429 ? { "retry-after": "0" } : {} });
      },
    });
    try {
      await createPod(cluster, tappedPod("codes-0", { scripts: { app: { template: "code line {n}", count: 3 } } }));
      await waitRunning(cluster, "codes-0", "app");
      const f = startForwarder(target, podEnv(cluster, saDir, "codes-0", `127.0.0.1:${fake.port}`, { LOGTAP_PUSH_FORMAT: "json" }));
      await waitFor(() => seen.length >= 3, 20_000, "the first push delivered");
      const write = cluster.kubelet.kubelet.container("default", "codes-0", "app");
      write.write(["refused line"]);
      await f.waitForLog(/^push rejected, dropping 1 lines: POST http:\/\/127\.0\.0\.1:\d+\/loki\/api\/v1\/push: 400 status 400$/m);
      write.write(["after the refusal"]);
      await waitFor(() => seen.length >= 5, 20_000, "the push after the refusal");
      // The fake has the request before the forwarder has its answer: wait until the answer is counted too.
      let m = await f.metrics();
      await waitFor(async () => (m = await f.metrics()).logtap_forwarder_lines_pushed_total === 4, 10_000, "the last push counted");
      expect(await f.stop()).toBe(0);
      expect(seen.map((s) => s.status)).toEqual(answers);
      expect(seen.map((s) => s.lines)).toEqual([...Array(3).fill(["code line 1", "code line 2", "code line 3"]), ["refused line"], ["after the refusal"]]);
      expect(new Set(seen.map((s) => s.type))).toEqual(new Set(["application/json"]));
      expect(m.logtap_forwarder_retries_total).toBe(2);
      expect(m['logtap_forwarder_drops_total{reason="rejected"}']).toBe(1);
      expect(m.logtap_forwarder_lines_pushed_total).toBe(4);
    } finally {
      fake.stop(true);
    }
  });

  test("an https receiver with its own CA: refused without LOGTAP_TLS_SKIP_VERIFY, taken with it", async () => {
    const certs = makeTestCerts();
    let pushes = 0;
    const https = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: Bun.file(certs.serverCert), key: Bun.file(certs.serverKey) },
      fetch: () => (pushes++, new Response(null, { status: 204 })),
    });
    try {
      await createPod(cluster, tappedPod("tls-0", { scripts: { app: { lines: ["over tls"] } } }));
      await waitRunning(cluster, "tls-0", "app");
      const url = `https://127.0.0.1:${https.port}`;
      const strict = startForwarder(target, podEnv(cluster, saDir, "tls-0", url, { LOGTAP_RETRY_MAX: "1" }));
      await strict.waitForLog(new RegExp(`^push error, buffering 1 lines: POST ${url}/loki/api/v1/push: .*cert`, "mi"));
      // Stopped while the line cannot be delivered: 10 s of last chances, then it is counted and the forwarder exits 0.
      expect(await strict.stop()).toBe(0);
      expect(strict.stderr()).toContain("shutdown: 1 lines not delivered within 10s\nlogtap-forwarder stopped\n");
      expect(pushes).toBe(0);
      const lenient = startForwarder(target, podEnv(cluster, saDir, "tls-0", url, { LOGTAP_TLS_SKIP_VERIFY: "true" }));
      await waitFor(async () => (await lenient.metrics()).logtap_forwarder_lines_pushed_total === 1, 20_000, "the line pushed over https");
      expect(await lenient.stop()).toBe(0);
      expect(pushes).toBe(1);
    } finally {
      https.stop(true);
    }
  });

  test("SIGTERM pushes what was read but not yet sent, then `logtap-forwarder stopped`, exit 0", async () => {
    const recv = await startReceiver();
    await createPod(cluster, tappedPod("term-0", { scripts: { app: { lines: ["first"] } } }));
    await waitRunning(cluster, "term-0", "app");
    const f = startForwarder(target, podEnv(cluster, saDir, "term-0", recv.url.slice("http://".length)));
    await waitFor(async () => (await f.metrics()).logtap_forwarder_lines_pushed_total === 1, 20_000, "the first line pushed");
    cluster.kubelet.kubelet.container("default", "term-0", "app").write(["last words 1", "last words 2"]);
    // Read but still in the batch, which waits up to 500 ms for more.
    let at: Record<string, number> = {};
    await waitFor(async () => (at = await f.metrics()).logtap_forwarder_lines_read_total === 3, 5000, "the last lines read", 5);
    expect(await f.stop("SIGTERM")).toBe(0);
    expect(at.logtap_forwarder_lines_pushed_total).toBe(1);
    expect(f.stderr()).toEndWith("logtap-forwarder stopped\n");
    expect((await capture(recv)).map((e) => e.msg)).toEqual(["first", "last words 1", "last words 2"]);
  });
});
