/**
 * `recv --serve-capture` against the real receiver: off by default, the token required (both headers), the listing
 * against the directory on disk (sealed files' SHA-256, the active file, the meta files), whole and ranged fetches
 * that concatenate to the file's bytes, names outside the capture refused, and finish: pushes refused, everything
 * sealed and hashed, still served until the process stops.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCli } from "../support/cli.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { startReceiver, tempDir, type RunningReceiver } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";

const TOKEN = "t".repeat(16) + "0123456789abcdef0123456789abcdef";
const auth = { "x-logtap-token": TOKEN };

function sha256(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

interface Listing {
  finished: boolean;
  files: { name: string; size: number; state: string; sha256?: string }[];
}

async function listing(url: string): Promise<Listing> {
  const res = await fetch(`${url}/logtap/capture/files`, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Listing;
}

async function pushLines(url: string, from: number, n: number): Promise<void> {
  const values = Array.from({ length: n }, (_, i) => [`${1_700_000_000_000_000_000 + (from + i) * 1000}`, `line ${from + i} ${"x".repeat(200)}`] as [string, string]);
  expect((await push(url, lokiJson([{ labels: { app: "serve" }, values }]), { "content-type": "application/json" })).status).toBe(204);
}

describe("recv without --serve-capture", () => {
  test("the capture endpoints do not exist", async () => {
    const r = await startReceiver([], { env: { LOGTAP_CAPTURE_TOKEN: TOKEN } });
    try {
      for (const path of ["/logtap/capture/files", "/logtap/capture/files/metadata.json"]) {
        const res = await fetch(r.url + path, { headers: auth });
        expect(res.status).toBe(404);
        expect(await res.text()).toBe("404 page not found\n");
      }
      expect((await fetch(r.url + "/logtap/capture/finish", { method: "POST", headers: auth })).status).toBe(404);
    } finally {
      await r.stop();
    }
  });
});

describe("recv --serve-capture needs a token", () => {
  test("missing or short LOGTAP_CAPTURE_TOKEN is a usage error before anything is written", async () => {
    const dir = join(tempDir(), "capture");
    const env = { ...process.env, LOGTAP_CAPTURE_TOKEN: "" };
    const none = await runCli(["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, "--serve-capture"], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--serve-capture needs the token in LOGTAP_CAPTURE_TOKEN");
    const short = await runCli(["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, "--serve-capture"], { env: { LOGTAP_CAPTURE_TOKEN: "short" } });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("LOGTAP_CAPTURE_TOKEN is too short for --serve-capture (at least 32 characters)");
    expect(() => readdirSync(dir)).toThrow();
  });
});

describe("recv --serve-capture", () => {
  let r: RunningReceiver;
  beforeAll(async () => {
    // Small files so rotations (sealed files) happen after a few pushes.
    r = await startReceiver(["--serve-capture", "--max-file", "20KB", "--stats-interval", "0"], { env: { LOGTAP_CAPTURE_TOKEN: TOKEN } });
    for (let i = 0; i < 6; i++) await pushLines(r.url, i * 50, 50);
    await waitFor(async () => (await listing(r.url)).files.some((f) => f.state === "active" && f.size > 0), 10_000, "an active file with frames");
  });
  afterAll(async () => {
    await r.stop("SIGKILL").catch(() => {});
  });

  test("every request needs the token: X-Logtap-Token or Authorization: Bearer", async () => {
    const url = `${r.url}/logtap/capture/files`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="logtap capture"');
    expect((await fetch(url, { headers: { "x-logtap-token": TOKEN + "x" } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await fetch(`${r.url}/logtap/capture/files/metadata.json`)).status).toBe(401);
    expect((await fetch(`${r.url}/logtap/capture/finish`, { method: "POST" })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(url, { headers: auth })).status).toBe(200);
  });

  test("the listing is the directory: sealed files with their SHA-256, one active file, the meta files", async () => {
    const l = await listing(r.url);
    expect(l.finished).toBe(false);
    const onDisk = readdirSync(r.dir).sort();
    expect(l.files.map((f) => f.name)).toEqual(onDisk);
    const indexed = readFileSync(join(r.dir, "index.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line).file as string);
    expect(indexed.length).toBeGreaterThan(0);
    for (const f of l.files) {
      if (["metadata.json", "index.jsonl", "audit.jsonl"].includes(f.name)) {
        expect(f.state).toBe("meta");
        expect(f.sha256).toBeUndefined();
      } else if (indexed.includes(f.name)) {
        expect(f.state).toBe("sealed");
        const bytes = readFileSync(join(r.dir, f.name));
        expect(f.size).toBe(bytes.length);
        expect(f.sha256).toBe(sha256(bytes));
      } else {
        expect(f.state).toBe("active");
        expect(f.sha256).toBeUndefined();
      }
    }
    expect(l.files.filter((f) => f.state === "active")).toHaveLength(1);
  });

  test("a file whole, and resumed with Range, gives its bytes", async () => {
    const sealed = (await listing(r.url)).files.find((f) => f.state === "sealed")!;
    const bytes = new Uint8Array(readFileSync(join(r.dir, sealed.name)));
    const whole = await fetch(`${r.url}/logtap/capture/files/${sealed.name}`, { headers: auth });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-length")).toBe(String(bytes.length));
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(bytes);

    const cut = Math.floor(bytes.length / 3);
    const head = await fetch(`${r.url}/logtap/capture/files/${sealed.name}`, { headers: { ...auth, range: `bytes=0-${cut - 1}` } });
    expect(head.status).toBe(206);
    expect(head.headers.get("content-range")).toBe(`bytes 0-${cut - 1}/${bytes.length}`);
    const tail = await fetch(`${r.url}/logtap/capture/files/${sealed.name}`, { headers: { ...auth, range: `bytes=${cut}-` } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${cut}-${bytes.length - 1}/${bytes.length}`);
    const joined = new Uint8Array([...new Uint8Array(await head.arrayBuffer()), ...new Uint8Array(await tail.arrayBuffer())]);
    expect(joined).toEqual(bytes);

    const beyond = await fetch(`${r.url}/logtap/capture/files/${sealed.name}`, { headers: { ...auth, range: `bytes=${bytes.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
    expect((await fetch(`${r.url}/logtap/capture/files/${sealed.name}`, { headers: { ...auth, range: "lines=1-2" } })).status).toBe(416);

    const meta = await fetch(`${r.url}/logtap/capture/files/metadata.json`, { headers: auth });
    expect(await meta.text()).toBe(readFileSync(join(r.dir, "metadata.json"), "utf8"));
  });

  test("only the capture's own files: traversal, temporaries, dot-files and symlinks are refused", async () => {
    const outside = join(dirname(r.dir), "secret.jsonl");
    writeFileSync(outside, "TOP SECRET CONTENT\n");
    writeFileSync(join(r.dir, ".hidden.jsonl"), "hidden\n");
    writeFileSync(join(r.dir, "index.jsonl.tmp"), "tmp\n");
    writeFileSync(join(r.dir, "notes.txt"), "notes\n");
    symlinkSync(outside, join(r.dir, "2000-01-01T000000-000.jsonl"));
    for (const name of ["..%2Fsecret.jsonl", "%2Fetc%2Fpasswd", "..%5Csecret.jsonl", ".hidden.jsonl", "index.jsonl.tmp", "notes.txt", "2000-01-01T000000-000.jsonl", "nope.jsonl"]) {
      const res = await fetch(`${r.url}/logtap/capture/files/${name}`, { headers: auth });
      expect({ name, status: res.status }).toEqual({ name, status: 404 });
      expect(await res.text()).not.toContain("TOP SECRET");
    }
    // The URL parser folds dot segments before routing: the request no longer names a capture file at all.
    expect((await fetch(`${r.url}/logtap/capture/files/../../../etc/passwd`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${r.url}/logtap/capture/files/%E0%A4%A`, { headers: auth })).status).toBe(400);
    const names = (await listing(r.url)).files.map((f) => f.name);
    for (const bad of [".hidden.jsonl", "index.jsonl.tmp", "notes.txt", "2000-01-01T000000-000.jsonl"]) expect(names).not.toContain(bad);
  });

  test("finish: pushes refused, every file sealed and hashed, still served; the stop after it changes nothing", async () => {
    const finish = await fetch(`${r.url}/logtap/capture/finish`, { method: "POST", headers: auth });
    expect(finish.status).toBe(200);
    const totals = (await finish.json()) as { lines: number; bytes: number };
    expect(totals.lines).toBe(300);
    expect((await fetch(`${r.url}/logtap/capture/finish`, { headers: auth })).status).toBe(405);
    const again = await fetch(`${r.url}/logtap/capture/finish`, { method: "POST", headers: auth });
    expect(await again.json()).toEqual(totals);

    const refused = await push(r.url, lokiJson([{ labels: { app: "late" }, values: [["1700000000000000000", "late"]] }]), { "content-type": "application/json" });
    expect(refused).toEqual({ status: 503, text: "this receiver has finished its capture and takes no more pushes\n" });
    expect((await fetch(`${r.url}/readyz`)).status).toBe(200);

    const l = await listing(r.url);
    expect(l.finished).toBe(true);
    const metadata = JSON.parse(readFileSync(join(r.dir, "metadata.json"), "utf8"));
    expect(metadata.stopped).not.toBe("0001-01-01T00:00:00Z");
    expect(metadata.total_lines).toBe(300);
    const files = l.files;
    for (const f of files) {
      expect(f.state === "meta" || f.state === "sealed").toBe(true);
      expect(f.sha256).toBe(sha256(readFileSync(join(r.dir, f.name))));
    }
    const before = Object.fromEntries(files.map((f) => [f.name, f.sha256]));
    const stopped = await r.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    for (const [name, digest] of Object.entries(before)) expect(sha256(readFileSync(join(r.dir, name)))).toBe(digest!);
  });
});
