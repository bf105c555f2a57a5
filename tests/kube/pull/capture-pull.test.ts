/**
 * The puller against a real `logtap recv --serve-capture` over plain loopback. A proxy in between cuts a download
 * in the middle of a file; the next round resumes it with Range from the local size; pulling on while the receiver
 * rotates, then finishing, leaves a local directory byte for byte the receiver's, which inspect and grep read as
 * they read the receiver's own.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Socket } from "bun";
import { CapturePuller } from "../../../src/kube/pull/capture-puller.ts";
import { RemoteError } from "../../../src/kube/pull/capture-remote.ts";
import { directRemote } from "../../../src/kube/pull/direct-remote.ts";
import { runCli } from "../../support/cli.ts";
import { lokiJson, push } from "../../support/loki-bodies.ts";
import { startReceiver, tempDir, type RunningReceiver } from "../../support/receiver-process.ts";

const TOKEN = "0123456789abcdef".repeat(4);

async function pushLines(url: string, from: number, n: number): Promise<void> {
  const values = Array.from({ length: n }, (_, i) => [`${1_700_000_000_000_000_000 + (from + i) * 1_000_000}`, `request ${from + i} status=${(from + i) % 7 === 0 ? 500 : 200} ${"p".repeat(150)}`] as [string, string]);
  expect((await push(url, lokiJson([{ labels: { app: `svc-${from % 3}` }, values }]), { "content-type": "application/json" })).status).toBe(204);
}

/** Every file of a directory, name → bytes. */
function snapshot(dir: string): Record<string, Uint8Array> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, new Uint8Array(readFileSync(join(dir, n)))]));
}

/**
 * Forwards to the receiver, one request per connection, on raw sockets so that a cut is what a dropped connection
 * is: the status line and Content-Length of the whole answer, part of the body, then the connection closes.
 */
function cuttingProxy(target: string) {
  const requests: string[] = [];
  let cut: { name: string; after: number } | null = null;
  // Bun's socket.write takes what fits and returns how much: the rest is written as the socket drains.
  const flush = (socket: Socket<Conn>) => {
    const d = socket.data;
    while (d.out && d.out.length > 0) {
      const n = socket.write(d.out);
      if (n <= 0) return;
      d.out = d.out.subarray(n);
    }
    if (!d.out) return;
    d.out = null;
    // A cut answer closes a moment later, so the client has read what came before, as over a real network.
    if (d.cut) setTimeout(() => socket.end(), 300);
    else socket.end();
  };
  const server = Bun.listen<Conn>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buffer: "", out: null, cut: false };
      },
      drain: flush,
      async data(socket, chunk) {
        if (socket.data.out || socket.data.cut) return;
        socket.data.buffer += chunk.toString("latin1");
        const end = socket.data.buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const [requestLine, ...headerLines] = socket.data.buffer.slice(0, end).split("\r\n");
        const [method, path] = requestLine!.split(" ") as [string, string];
        const headers = new Headers(headerLines.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()] as [string, string]));
        headers.delete("host");
        const name = path.startsWith(FILES) ? decodeURIComponent(path.slice(FILES.length)) : "";
        if (name) requests.push(`${name} ${headers.get("range") ?? "whole"}`);
        const upstream = await fetch(target + path, { method, headers });
        const body = new Uint8Array(await upstream.arrayBuffer());
        const head = [`HTTP/1.1 ${upstream.status} X`, `content-length: ${body.length}`, "connection: close"];
        for (const h of ["content-type", "content-range", "accept-ranges", "www-authenticate"]) if (upstream.headers.has(h)) head.push(`${h}: ${upstream.headers.get(h)}`);
        const cutHere = cut !== null && cut.name === name ? cut.after : null;
        if (cutHere !== null) cut = null;
        socket.data.cut = cutHere !== null;
        socket.data.out = Buffer.concat([Buffer.from(head.join("\r\n") + "\r\n\r\n"), cutHere === null ? body : body.subarray(0, cutHere)]);
        flush(socket);
      },
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    cutNext(name: string, after: number) {
      cut = { name, after };
    },
    stop: () => server.stop(true),
  };
}

const FILES = "/logtap/capture/files/";

interface Conn {
  buffer: string;
  /** The answer still to write; the connection closes once it is out (one request per connection). */
  out: Uint8Array | null;
  /** This answer is cut short. */
  cut: boolean;
}

describe("pulling a capture from a real receiver", () => {
  let r: RunningReceiver;
  let proxy: ReturnType<typeof cuttingProxy>;
  beforeAll(async () => {
    r = await startReceiver(["--serve-capture", "--max-file", "30KB", "--stats-interval", "0"], { env: { LOGTAP_CAPTURE_TOKEN: TOKEN } });
    proxy = cuttingProxy(r.url);
  });
  afterAll(async () => {
    proxy.stop();
    await r.stop("SIGKILL").catch(() => {});
  });

  test("interrupted mid-file, resumed by Range, pulled on while written, finished: identical to the receiver's", async () => {
    const local = join(tempDir(), "home");
    const puller = new CapturePuller(directRemote(proxy.url, TOKEN), local);
    for (let i = 0; i < 8; i++) await pushLines(r.url, i * 40, 40);
    // A sealed file to cut in half.
    let sealed: { name: string; size: number } | undefined;
    for (let i = 0; i < 100 && !sealed; i++) {
      const listing = (await (await fetch(`${r.url}/logtap/capture/files`, { headers: { "x-logtap-token": TOKEN } })).json()) as { files: { name: string; size: number; state: string }[] };
      sealed = listing.files.find((f) => f.state === "sealed");
      if (!sealed) await Bun.sleep(50);
    }
    expect(sealed).toBeDefined();
    const half = Math.floor(sealed!.size / 2);
    proxy.cutNext(sealed!.name, half);

    const failed = await puller.sync().catch((e) => e);
    expect(failed).toBeInstanceOf(RemoteError);
    expect((failed as RemoteError).retryable).toBe(true);
    expect((failed as Error).message).toContain(`read ${sealed!.name}: the download from ${proxy.url} broke off`);
    expect(readFileSync(join(local, sealed!.name)).length).toBe(half);
    // Not complete yet, so the local index names nothing: the partial file is read as an unindexed file meanwhile.
    expect(readdirSync(local)).not.toContain("index.jsonl");
    const meanwhile = await runCli(["grep", "--count", "request", local]);
    expect(meanwhile.code).toBe(0);
    expect((await runCli(["inspect", local])).code).toBe(0);

    const round = await puller.sync();
    expect(proxy.requests).toContain(`${sealed!.name} bytes=${half}-`);
    expect(round.sealed).toBeGreaterThan(0);
    expect(new Uint8Array(readFileSync(join(local, sealed!.name)))).toEqual(new Uint8Array(readFileSync(join(r.dir, sealed!.name))));

    // The receiver goes on writing and rotating; each round fetches only what is new.
    for (let i = 8; i < 16; i++) await pushLines(r.url, i * 40, 40);
    await Bun.sleep(1200);
    const fetchedBefore = proxy.requests.length;
    await puller.sync();
    const newRequests = proxy.requests.slice(fetchedBefore);
    expect(newRequests).not.toContain(`${sealed!.name} whole`);
    expect(newRequests.filter((x) => x.startsWith(sealed!.name))).toEqual([]);
    // Nothing written since: a round is the listing alone.
    const quietFrom = proxy.requests.length;
    await puller.sync();
    expect(proxy.requests.slice(quietFrom)).toEqual([]);

    const summary = await puller.complete();
    expect(summary.lines).toBe(640);
    expect(snapshot(local)).toEqual(snapshot(r.dir));

    // Every command reads the copy as it reads the original.
    for (const args of [["inspect"], ["grep", "status=500"], ["grep", "--count", "request"]]) {
      const there = await runCli([...args, r.dir]);
      const here = await runCli([...args, local]);
      expect(there.code).toBe(0);
      expect({ args, code: here.code, stdout: here.stdout.replaceAll(local, "DIR") }).toEqual({ args, code: 0, stdout: there.stdout.replaceAll(r.dir, "DIR") });
    }
  });

  test("a directory that holds another capture, or other files, is refused before anything is written", async () => {
    const other = join(tempDir(), "other");
    mkdirSync(other);
    writeFileSync(join(other, "metadata.json"), JSON.stringify({ version: 1, started: "2020-01-01T00:00:00Z" }));
    const refused = await new CapturePuller(directRemote(r.url, TOKEN), other).sync().catch((e) => e);
    expect((refused as Error).message).toStartWith(`${other} holds another capture (started 2020-01-01T00:00:00Z; the receiver's started `);
    expect(readdirSync(other)).toEqual(["metadata.json"]);

    const busy = join(tempDir(), "busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "notes.txt"), "mine");
    const notEmpty = await new CapturePuller(directRemote(r.url, TOKEN), busy).sync().catch((e) => e);
    expect((notEmpty as Error).message).toBe(`${busy} is not empty and holds no capture (notes.txt): pull into a new directory`);
  });

  test("a wrong token is a permission error naming the receiver", async () => {
    const e = await new CapturePuller(directRemote(r.url, "x".repeat(64)), join(tempDir(), "c")).sync().catch((x) => x);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).exitCode).toBe(4);
    expect((e as Error).message).toBe(`list the capture: the receiver at ${r.url} refused the capture token (missing or wrong capture token)`);
  });
});

describe("logtap pull --url", () => {
  test("a round, then --finish: the rest pulled and checked; usage errors", async () => {
    const r = await startReceiver(["--serve-capture", "--max-file", "30KB", "--stats-interval", "0"], { env: { LOGTAP_CAPTURE_TOKEN: TOKEN } });
    try {
      const local = join(tempDir(), "pulled");
      const env = { LOGTAP_CAPTURE_TOKEN: TOKEN };
      for (let i = 0; i < 6; i++) await pushLines(r.url, i * 40, 40);
      const first = await runCli(["pull", "--dir", local, "--url", r.url], { env });
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(new RegExp(`^pulling the capture of ${r.url} into ${local}\\npulled [0-9.]+ [KM]?i?B into ${local} \\(\\d+ closed data file\\(s\\) complete\\)\\n$`));
      for (let i = 6; i < 10; i++) await pushLines(r.url, i * 40, 40);
      const last = await runCli(["pull", "--dir", local, "--url", r.url, "--finish"], { env });
      expect(last.stderr).toContain("finishing the receiver's capture (it takes no more pushes)...\n");
      expect(last.stderr).toMatch(new RegExp(`capture home: ${local} \\(\\d+ files, .*, 400 lines\\), identical to the receiver's\\n$`));
      expect(last.code).toBe(0);
      expect(snapshot(local)).toEqual(snapshot(r.dir));

      for (const [args, message] of [
        [["pull", "--url", r.url], "--dir is required"],
        [["pull", "--dir", local, "--url", r.url, "--cleanup"], "--cleanup needs --finish"],
        [["pull", "--dir", local, "--url", r.url, "--interval", "0s"], "invalid --interval"],
      ] as const) {
        const bad = await runCli([...args], { env });
        expect({ args, code: bad.code }).toEqual({ args, code: 2 });
        expect(bad.stderr).toContain(message);
      }
      const noToken = await runCli(["pull", "--dir", local, "--url", r.url], { env: { LOGTAP_CAPTURE_TOKEN: "" } });
      expect(noToken.stderr).toBe("error: --url needs the receiver's token in LOGTAP_CAPTURE_TOKEN\n");
    } finally {
      await r.stop("SIGKILL").catch(() => {});
    }
  });
});
