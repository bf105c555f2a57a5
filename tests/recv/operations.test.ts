import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "bun";
import { createHmac } from "node:crypto";
import { primaryTarget, runCli } from "../support/cli.ts";
import { parseListen } from "../../src/recv/listen-address.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { lokiJson, lokiProtobuf, push } from "../support/loki-bodies.ts";
import { makeTestCerts, type TestCerts } from "../support/tls-certs.ts";
import { waitFor } from "../support/wait-for.ts";

const body = (tag: string, n: number) =>
  lokiProtobuf([{ labels: { app: "ops" }, values: Array.from({ length: n }, (_, i) => [`${1700000000000000000 + i}`, `${tag} ${i}`] as [string, string]) }]);

describe("TLS", () => {
  let certs: TestCerts;
  beforeAll(() => {
    certs = makeTestCerts();
  });

  test("serves HTTPS: a client trusting the CA pushes, one that does not is refused", async () => {
    const r = await startReceiver(["--tls-cert", certs.serverCert, "--tls-key", certs.serverKey]);
    const url = r.url.replace("http://", "https://");
    const ok = await fetch(`${url}/loki/api/v1/push`, {
      method: "POST",
      body: lokiJson([{ labels: { app: "tls" }, values: [["1700000000000000000", "over tls"]] }]),
      headers: { "content-type": "application/json" },
      tls: { ca: readFileSync(certs.caCert, "utf8") },
    });
    expect(ok.status).toBe(204);
    await expect(fetch(`${url}/ready`)).rejects.toThrow();
    await expect(fetch(`${r.url}/ready`)).rejects.toThrow();
    expect((await r.stop()).code).toBe(0);
    expect(entriesViaZstdCli(r.dir).map((e) => e.msg)).toEqual(["over tls"]);
    expect(r.stderr()).not.toContain("WARNING");
  });

  test("one file alone, an unreadable file or a key that does not match fails at start with one clear line", async () => {
    const dir = join(tempDir(), "c");
    const base = ["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir];
    const alone = await runCli([...base, "--tls-cert", certs.serverCert]);
    expect([alone.code, alone.stderr]).toEqual([2, "error: --tls-cert and --tls-key must be given together\n"]);
    const missing = await runCli([...base, "--tls-cert", "/nonexistent.pem", "--tls-key", certs.serverKey]);
    expect([missing.code, missing.stderr]).toEqual([3, "error: read --tls-cert: open /nonexistent.pem: no such file or directory\n"]);
    const mismatch = await runCli([...base, "--tls-cert", certs.serverCert, "--tls-key", certs.otherKey]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/^error: invalid --tls-cert\/--tls-key: [^\n]+\n$/);
    expect(existsSync(dir)).toBe(false);
  });

  test("the plain-HTTP warning is printed for non-loopback listens only ([::1] counts as loopback)", async () => {
    expect([parseListen("[::1]:3100").loopback, parseListen("localhost:1").loopback, parseListen("127.0.0.1:1").loopback]).toEqual([true, true, true]);
    expect([parseListen(":3100").loopback, parseListen("0.0.0.0:3100").loopback]).toEqual([false, false]);
    const proc = Bun.spawn([...primaryTarget().cmd, "recv", "--headless", "--listen", "0.0.0.0:0", "--dir", join(tempDir(), "c")], { stderr: "pipe", stdout: "ignore" });
    const reader = proc.stderr.getReader();
    let text = "";
    while (!text.includes("listening on")) text += new TextDecoder().decode((await reader.read()).value);
    proc.kill("SIGTERM");
    await proc.exited;
    expect(text).toStartWith("WARNING: Running in direct IP mode (0.0.0.0:0) without TLS.");
  });
});

describe("overload policy with a tiny queue", () => {
  const N = 150;
  const SENDERS = 20;
  const REQS = 5;

  async function flood(url: string) {
    const results: Array<{ tag: string; status: number }> = [];
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, s) => {
        for (let q = 0; q < REQS; q++) {
          const tag = `s${s}q${q}`;
          results.push({ tag, status: (await push(url, body(tag, N), { "content-type": "application/x-protobuf" })).status });
        }
      }),
    );
    return results;
  }

  test("drop (default): every push answered 204, written + dropped == sent", async () => {
    const r = await startReceiver(["--buffer", "100"]);
    const results = await flood(r.url);
    expect(results.every((x) => x.status === 204)).toBe(true);
    const m = await r.metrics();
    await r.stop();
    expect(entriesViaZstdCli(r.dir).length + m.logtap_logs_dropped_total!).toBe(SENDERS * REQS * N);
  });

  // A push larger than --buffer, and the 429 answer with its Retry-After on a queue made full on purpose:
  // tests/recv/oversize-push.test.ts.
  test("429: a push that does not fit is refused whole, every acknowledged entry is on disk, refused ones wrote nothing", async () => {
    const r = await startReceiver(["--buffer", "400", "--on-overload", "429"]);
    const results = await flood(r.url);
    await r.stop();
    const byTag = new Map<string, number>();
    for (const e of entriesViaZstdCli(r.dir)) byTag.set(e.msg.split(" ")[0]!, (byTag.get(e.msg.split(" ")[0]!) ?? 0) + 1);
    for (const { tag, status } of results) {
      expect([204, 429]).toContain(status);
      expect({ tag, written: byTag.get(tag) ?? 0 }).toEqual({ tag, written: status === 204 ? N : 0 });
    }
  });
});

describe("webhooks and alert rules, delivered to a real recording server", () => {
  let server: Server<undefined>;
  const got: Array<{ path: string; headers: Record<string, string>; body: string }> = [];
  beforeAll(() => {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        got.push({ path: new URL(req.url).pathname, headers: Object.fromEntries(req.headers), body: await req.text() });
        return new Response(null, { status: 204 });
      },
    });
  });
  afterAll(() => server.stop(true));

  test("start, rotation, disk-warning, alert and stop — the stop webhook arrives before the process exits", async () => {
    got.length = 0;
    const rules = join(tempDir(), "rules.yaml");
    writeFileSync(rules, "rules:\n  - name: many\n    metric: logs_received\n    op: gte\n    threshold: 500\n    detail: \"lots of logs\"\n");
    const hook = `http://127.0.0.1:${server.port}/hook`;
    const r = await startReceiver([
      "--webhook", hook,
      "--webhook", `http://127.0.0.1:${server.port}/second`,
      "--webhook-auth", "hmac-sha256:k3y",
      "--alert-rules", rules,
      "--max-file", "20KB",
      "--max-disk", "60KB",
      "--compress=false",
    ]);
    for (let i = 0; i < 10; i++) expect((await push(r.url, body(`b${i}`, 100), { "content-type": "application/x-protobuf" })).status).toBe(204);
    // Alerts and the disk warning come from a once-a-second check: wait until both have been delivered.
    const delivered = (kind: string) => got.some((g) => g.path === "/hook" && JSON.parse(g.body).event === kind);
    await waitFor(() => delivered("alert") && delivered("disk-warning"), 10_000, "the alert and disk-warning webhooks");
    expect((await r.stop()).code).toBe(0);
    const events = got.filter((g) => g.path === "/hook").map((g) => JSON.parse(g.body));
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe("start");
    expect(kinds.at(-1)).toBe("stop");
    expect(kinds).toContain("rotation");
    expect(kinds).toContain("disk-warning");
    expect(events.find((e) => e.event === "alert")).toEqual({ event: "alert", timestamp: expect.any(String), detail: "lots of logs" });
    expect(kinds.filter((k) => k === "alert")).toHaveLength(1);
    const stop = events.at(-1);
    expect(stop.stats).toEqual({ lines_written: 1000, bytes_written: expect.any(Number), disk_usage: expect.any(Number), disk_cap: 60 * 1024 });
    for (const g of got) expect(g.headers["x-logtap-signature"]).toBe("sha256=" + createHmac("sha256", "k3y").update(g.body).digest("hex"));
    expect(got.filter((g) => g.path === "/second").length).toBe(events.length);
  }, 20_000);

  test("--webhook-events filters; bearer auth; bad settings are usage errors", async () => {
    got.length = 0;
    const r = await startReceiver(["--webhook", `http://127.0.0.1:${server.port}/only`, "--webhook-events", "stop", "--webhook-auth", "bearer:t0k"]);
    await r.stop();
    expect(got.map((g) => JSON.parse(g.body).event)).toEqual(["stop"]);
    expect(got[0]!.headers.authorization).toBe("Bearer t0k");
    const dir = join(tempDir(), "c");
    for (const [args, code] of [
      [["--webhook", "ftp://x"], 2],
      [["--webhook", "http://x", "--webhook-events", "boot"], 2],
      [["--webhook", "http://x", "--webhook-auth", "basic:x"], 2],
      [["--alert-rules", "/nonexistent.yaml"], 3],
      [["--on-overload", "block"], 2],
    ] as const) {
      const res = await runCli(["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, ...args]);
      expect({ args, code: res.code }).toEqual({ args, code });
    }
  });
});
