import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { upstreamLine, writeOurCapture, writeUpstreamCapture } from "../support/fixture-capture.ts";
import { makeEntries } from "../support/entries.ts";
import { readIndex } from "../../src/capture/index-file.ts";

/** Upstream's fixture F1: two lines of app=web in one indexed plain file. */
function f1(): string {
  const dir = join(tempDir(), "F1");
  mkdirSync(dir);
  const l1 = upstreamLine("2025-01-15T10:00:00Z", { app: "web" }, "hello world");
  const l2 = upstreamLine("2025-01-15T10:00:02Z", { app: "web" }, "error: boom");
  writeFileSync(join(dir, "2025-01-15T100000-000.jsonl"), l1 + l2);
  writeFileSync(join(dir, "index.jsonl"), '{"file":"2025-01-15T100000-000.jsonl","from":"2025-01-15T10:00:00Z","to":"2025-01-15T10:00:02Z","lines":2,"bytes":146,"labels":{"app":{"web":2}}}\n');
  writeFileSync(
    join(dir, "metadata.json"),
    JSON.stringify({ version: 1, format: "jsonl", started: "2025-01-15T10:00:00Z", stopped: "2025-01-15T10:00:02Z", total_lines: 2, total_bytes: 146, labels_seen: ["app"] }, null, 2),
  );
  return dir;
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("inspect (%s)", (_n, target) => {
  test("text layout of upstream §7 on fixture F1", async () => {
    const dir = f1();
    const r = await runCli(["inspect", dir], { target });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `Capture: ${dir}`,
        "Format:  jsonl (v1)",
        "Period:  2025-01-15 10:00:00 — 10:00:02 (2s)",
        "Size:    146 B (1 files)",
        "Lines:   2",
        "Rate:    ~1 lines/sec",
        "",
        "Labels:",
        "  app:",
        "    web                  2 lines   146 B   (100.0%)",
        "",
        "Timeline (1-min buckets):",
        "  10:00 █",
        "",
      ].join("\n"),
    );
  });

  test("--json equals upstream's A.5 for F1 (with our dir)", async () => {
    const dir = f1();
    const r = await runCli(["inspect", dir, "--json"], { target });
    expect(JSON.parse(r.stdout)).toEqual({
      dir,
      metadata: { version: 1, format: "jsonl", started: "2025-01-15T10:00:00Z", stopped: "2025-01-15T10:00:02Z", total_lines: 2, total_bytes: 146, labels_seen: ["app"] },
      files: 1,
      total_lines: 2,
      total_bytes: 146,
      disk_size: 146,
      data_from: "2025-01-15T10:00:00Z",
      data_to: "2025-01-15T10:00:02Z",
      lines_per_sec: 1,
      bucket_width: "1-min buckets",
      labels: { app: [{ value: "web", lines: 2, bytes: 146 }] },
      timeline: [{ time: "2025-01-15T10:00:00Z", lines: 2 }],
    });
    expect((await runCli(["inspect", dir, "--format", "json"], { target })).stdout).toBe(r.stdout);
  });

  test("index-only: indexed files are never decompressed (damage inside them goes unnoticed and costs nothing)", async () => {
    const dir = join(tempDir(), "cap");
    await writeOurCapture(dir, makeEntries(20_000), { maxFileBytes: 200_000, frameBytes: 32 << 10 });
    const [first] = readIndex(dir);
    const path = join(dir, first!.file);
    const bytes = readFileSync(path);
    bytes.fill(0x41, 100, 200);
    writeFileSync(path, bytes);
    const r = await runCli(["inspect", dir, "--json"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    expect(j.total_lines).toBe(20_000);
    expect(j.labels.app.map((v: { value: string; lines: number }) => [v.value, v.lines])).toEqual([["api", 6667], ["worker", 6667], ["web", 6666]]);
    expect(j.timeline.reduce((n: number, b: { lines: number }) => n + b.lines, 0)).toBe(20_000);
  });

  test("upstream layout: unindexed active file scanned, audit.jsonl not counted as data", async () => {
    const dir = join(tempDir(), "up");
    writeUpstreamCapture(
      dir,
      { "2024-01-15T093201-000.jsonl.zst": [upstreamLine("2024-01-15T10:32:05+01:00", { app: "api" }, "a"), upstreamLine("2024-01-15T10:32:06+01:00", { app: "api" }, "b")] },
      { name: "2024-01-15T093512-000.jsonl", lines: [upstreamLine("2024-01-15T10:35:12+01:00", { app: "web" }, "c"), "not json\n"] },
    );
    const r = await runCli(["inspect", dir, "--json"], { target });
    const j = JSON.parse(r.stdout);
    expect(j.files).toBe(2);
    expect(j.total_lines).toBe(4);
    expect(j.data_from).toBe("2024-01-15T09:32:05Z");
    expect(j.data_to).toBe("2024-01-15T09:35:12Z");
    expect(j.labels.app).toEqual([
      { value: "api", lines: 2, bytes: expect.any(Number) },
      { value: "web", lines: 1, bytes: expect.any(Number) },
    ]);
  });

  test("missing capture → exit 3; unparsable metadata → exit 1", async () => {
    const r = await runCli(["inspect", join(tempDir(), "nope")], { target });
    expect(r.code).toBe(3);
    const dir = tempDir();
    writeFileSync(join(dir, "metadata.json"), "{not json");
    const bad = await runCli(["inspect", dir], { target });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: unmarshal metadata: /);
  });
});
