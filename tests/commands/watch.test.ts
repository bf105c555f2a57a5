import { describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli, type CliTarget } from "../support/cli.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { dataFiles, linesViaZstdCli } from "../support/capture-files.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { writeMetadata, type Metadata } from "../../src/capture/metadata.ts";
import type { Entry } from "../../src/model/entry.ts";

const BASE = 1_736_935_200; // 2025-01-15T10:00:00Z
const F1 = "2025-01-15T100000-000.jsonl.zst";
const F2 = "2025-01-15T100140-000.jsonl.zst";

function e(sec: number, labels: Record<string, string>, msg: string): Entry {
  return { sec: BASE + sec, nsec: 123_000_000, labels: Object.freeze({ ...labels }), msg };
}

async function buildCapture(dir: string, files: Record<string, Entry[]>, meta: Partial<Metadata> = {}) {
  for (const [name, list] of Object.entries(files)) {
    const w = new CaptureWriter({ dir, maxFileBytes: 1 << 30, maxDiskBytes: 0, compress: true, frameBytes: 512, namer: { next: () => name } });
    await w.write(encodeJsonlBatch({ entries: list }));
    await w.close();
  }
  mkdirSync(dir, { recursive: true });
  writeMetadata(dir, { version: 1, format: "jsonl", started: "2025-01-15T10:00:00Z", stopped: "2025-01-15T10:05:00Z", total_lines: 0, total_bytes: 0, labels_seen: null, ...meta });
}

/** A finished capture whose data files are all compressed (upstream's watch failed on it — Q25). */
async function finished(): Promise<string> {
  const dir = join(tempDir(), "cap");
  await buildCapture(dir, {
    [F1]: Array.from({ length: 100 }, (_, i) => e(i, { app: i % 2 ? "api" : "web" }, `first ${i}${i % 2 ? "" : " web"}`)),
    [F2]: [
      e(100, { app: "api" }, "second 0"),
      e(101, { zone: "z1", host: "h1" }, "second 1 no app label"),
      e(102, {}, "second 2 no labels"),
      e(103, { app: "web", host: "h2" }, "second 3 <b>&"),
      e(104, { app: "api" }, "second 4"),
    ],
  });
  return dir;
}

class Output {
  text = "";
  readonly done: Promise<void>;
  constructor(stream: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    this.done = (async () => {
      for await (const chunk of stream) this.text += decoder.decode(chunk, { stream: true });
    })();
  }
  lines(): string[] {
    return this.text.split("\n").filter((l) => l !== "");
  }
}

async function waitFor(what: string, pred: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(25);
  }
}

function spawnWatch(target: CliTarget, args: string[]) {
  const proc = Bun.spawn([...target.cmd, "watch", ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  return { proc, out: new Output(proc.stdout), err: new Output(proc.stderr) };
}

function values(from: number, n: number, text: (i: number) => string): [string, string][] {
  const now = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: n }, (_, i) => [String(now + BigInt(i)), text(from + i)]);
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("watch (%s)", (_name, target) => {
  test("a finished, fully compressed capture: the last N entries across files, then exit 0", async () => {
    const dir = await finished();
    const r = await runCli(["watch", dir, "-n", "7"], { target });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toBe(
      [
        "2025-01-15T10:01:38Z [web] first 98 web",
        "2025-01-15T10:01:39Z [api] first 99",
        "2025-01-15T10:01:40Z [api] second 0",
        "2025-01-15T10:01:41Z [h1] second 1 no app label", // no app: first label by sorted key (host)
        "2025-01-15T10:01:42Z [] second 2 no labels",
        "2025-01-15T10:01:43Z [web] second 3 <b>&",
        "2025-01-15T10:01:44Z [api] second 4",
        "",
      ].join("\n"),
    );
    const dflt = await runCli(["watch", dir], { target });
    expect(dflt.stdout.split("\n").filter(Boolean)).toHaveLength(10);
    const json = await runCli(["watch", dir, "--lines", "2", "--json"], { target });
    expect(json.stdout).toBe(
      '{"ts":"2025-01-15T10:01:43.123Z","labels":{"app":"web","host":"h2"},"msg":"second 3 \\u003cb\\u003e\\u0026"}\n' +
        '{"ts":"2025-01-15T10:01:44.123Z","labels":{"app":"api"},"msg":"second 4"}\n',
    );
    expect((await runCli(["watch", dir, "-n", "0"], { target })).stdout).toBe("");
  });

  test("--grep matches the message only, --label filters; the last N are the last N matches", async () => {
    const dir = await finished();
    const grep = await runCli(["watch", dir, "-n", "3", "--grep", "web"], { target });
    // `web` as a label value does not count: only messages that say it.
    expect(grep.stdout.split("\n").filter(Boolean).map((l) => l.split("] ")[1])).toEqual(["first 94 web", "first 96 web", "first 98 web"]);
    const label = await runCli(["watch", dir, "-n", "2", "--label", "app=web", "--format", "json"], { target });
    expect(label.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l).msg)).toEqual(["first 98 web", "second 3 <b>&"]);
  });

  test("a plain newest file with offset timestamps is shown in UTC; usage and missing-capture errors", async () => {
    const dir = await finished();
    writeFileSync(
      join(dir, "2025-01-15T100300-000.jsonl"),
      '{"ts":"2025-01-15T11:03:00.5+01:00","labels":{"app":"web"},"msg":"local clock"}\nnot json\n{"ts":"2025-01-15T10:03:01Z","msg":"last"}',
    );
    const r = await runCli(["watch", dir, "-n", "2"], { target });
    expect(r.stdout).toBe("2025-01-15T10:03:00Z [web] local clock\n2025-01-15T10:03:01Z [] last\n");
    const empty = join(tempDir(), "empty");
    await buildCapture(empty, {});
    expect(await runCli(["watch", empty], { target })).toEqual({ code: 0, stdout: "", stderr: "" });
    expect((await runCli(["watch", join(tempDir(), "nope")], { target })).code).toBe(3);
    for (const args of [["watch", dir, "-n", "-1"], ["watch", dir, "-n", "ten"], ["watch", dir, "--label", "app"], ["watch", dir, "--grep", "("], ["watch"]]) {
      const bad = await runCli(args, { target });
      expect({ args, code: bad.code }).toEqual({ args, code: 2 });
    }
  });

  test("LIVE: follows the receiver's compressed active file across rotations; SIGTERM exits 0", async () => {
    const rcv = await startReceiver(["--max-file", "20KB"], { target });
    let watch: ReturnType<typeof spawnWatch> | null = null;
    try {
      const body = (from: number, n: number) => lokiJson([{ labels: { app: "web", pod: "p1" }, values: values(from, n, (i) => `live ${i} ${"x".repeat(100)}`) }]);
      expect((await push(rcv.url, body(0, 5), { "content-type": "application/json" })).status).toBe(204);
      // The receiver closes a frame at least once a second: wait until those 5 lines can be read from disk.
      await waitFor("the first frame on disk", () => {
        try {
          return linesViaZstdCli(rcv.dir).length >= 5;
        } catch {
          return false; // a frame still being written
        }
      }, 10_000);
      watch = spawnWatch(target, [rcv.dir, "-n", "3"]);
      const w = watch;
      const msgs = () => w.out.lines().map((l) => l.split("] ")[1]!.split(" ").slice(0, 2).join(" "));
      await waitFor("the backlog", () => w.out.lines().length >= 3, 10_000);
      expect(msgs()).toEqual(["live 2", "live 3", "live 4"]);
      expect(w.out.lines()[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[web\] live 2 x+$/);

      // ~230 bytes a line: 20 KB files rotate every ~90 lines, so 600 lines span several files.
      const total = 600;
      const t0 = Date.now();
      for (let i = 5; i < 5 + total; i += 50) {
        expect((await push(rcv.url, body(i, 50), { "content-type": "application/json" })).status).toBe(204);
        await Bun.sleep(40);
      }
      await waitFor("every pushed line", () => w.out.lines().length >= 3 + total, 10_000);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(msgs()).toEqual(Array.from({ length: total + 3 }, (_, k) => `live ${k + 2}`));
      expect(dataFiles(rcv.dir).length).toBeGreaterThan(4); // rotated several times while being followed

      // Quiet for a moment, then more: still following the newest file.
      await Bun.sleep(500);
      expect((await push(rcv.url, body(5 + total, 3), { "content-type": "application/json" })).status).toBe(204);
      await waitFor("lines after a pause", () => w.out.lines().length >= 6 + total, 5_000);
      expect(msgs().slice(-3)).toEqual([`live ${5 + total}`, `live ${6 + total}`, `live ${7 + total}`]);

      w.proc.kill("SIGTERM");
      const code = await Promise.race([w.proc.exited, Bun.sleep(5_000).then(() => "hung")]);
      expect(code).toBe(0);
      await w.err.done;
      expect(w.err.text).toBe("");
    } finally {
      watch?.proc.kill("SIGKILL");
      await rcv.stop();
    }
  }, 60_000);

  test("LIVE: --json with a filter, and watch ends by itself (exit 0) once the capture stops", async () => {
    const rcv = await startReceiver([], { target });
    const watch = spawnWatch(target, [rcv.dir, "--json", "--label", "app=api", "--grep", "^keep"]);
    try {
      await Bun.sleep(400); // let it take its first look at the (still empty) capture
      const streams = [
        { labels: { app: "api" }, values: values(0, 4, (i) => (i % 2 ? `drop ${i}` : `keep ${i}`)) },
        { labels: { app: "web" }, values: values(0, 2, (i) => `keep web ${i}`) },
      ];
      expect((await push(rcv.url, lokiJson(streams), { "content-type": "application/json" })).status).toBe(204);
      await waitFor("filtered entries", () => watch.out.lines().length >= 2, 5_000);
      const stopped = await rcv.stop();
      expect(stopped.code).toBe(0);
      const code = await Promise.race([watch.proc.exited, Bun.sleep(5_000).then(() => "hung")]);
      expect(code).toBe(0);
      await watch.out.done;
      expect(watch.out.lines().map((l) => JSON.parse(l))).toEqual([
        { ts: expect.any(String), labels: { app: "api" }, msg: "keep 0" },
        { ts: expect.any(String), labels: { app: "api" }, msg: "keep 2" },
      ]);
    } finally {
      watch.proc.kill("SIGKILL");
      await rcv.stop();
    }
  }, 60_000);
  test("LIVE, upstream layout: a plain active file, its rotation into <name>.zst and a new plain file — no line twice", async () => {
    const dir = join(tempDir(), "cap");
    await buildCapture(dir, {}, { stopped: "0001-01-01T00:00:00Z" });
    const line = (i: number) => `{"ts":"2025-01-15T10:00:${String(i).padStart(2, "0")}+00:00","labels":{"app":"up"},"msg":"u ${i}"}\n`;
    const A = "2025-01-15T100000-000.jsonl";
    const B = "2025-01-15T100030-000.jsonl";
    writeFileSync(join(dir, A), line(0) + line(1));
    const w = spawnWatch(target, [dir, "-n", "1"]);
    try {
      const msgs = () => w.out.lines().map((l) => l.split("] ")[1]);
      await waitFor("the backlog", () => msgs().length >= 1, 10_000);
      appendFileSync(join(dir, A), line(2) + '{"ts":"2025-01-15T10:00:03Z","msg":"u 3 half');
      await waitFor("a new line", () => msgs().length >= 2, 5_000);
      await Bun.sleep(300); // the half-written line must not be shown yet
      expect(msgs()).toEqual(["u 1", "u 2"]);
      appendFileSync(join(dir, A), ' line"}\n' + line(4));
      // Upstream rotation: the whole plain file compressed into <name>.zst, the plain file deleted, a new plain file.
      const content = Bun.file(join(dir, A));
      writeFileSync(join(dir, A + ".zst"), Bun.zstdCompressSync(new Uint8Array(await content.arrayBuffer())));
      unlinkSync(join(dir, A));
      writeFileSync(join(dir, B), line(5));
      await waitFor("lines after the rotation", () => msgs().length >= 5, 5_000);
      // The capture stops: watch reads what is left and exits on its own.
      appendFileSync(join(dir, B), line(6));
      writeMetadata(dir, { version: 1, format: "jsonl", started: "2025-01-15T10:00:00Z", stopped: "2025-01-15T10:01:00Z", total_lines: 7, total_bytes: 0, labels_seen: null });
      const code = await Promise.race([w.proc.exited, Bun.sleep(5_000).then(() => "hung")]);
      expect(code).toBe(0);
      await w.out.done;
      expect(msgs()).toEqual(["u 1", "u 2", "u 3 half line", "u 4", "u 5", "u 6"]);
    } finally {
      w.proc.kill("SIGKILL");
    }
  }, 30_000);
});
