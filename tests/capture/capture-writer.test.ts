import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import { linesViaZstdCli, dataFiles } from "../support/capture-files.ts";
import { tempDir } from "../support/receiver-process.ts";
import { batchesOf, makeEntries } from "../support/entries.ts";
import { scanZstdFrames } from "../../src/capture/reader/zstd-frames.ts";

async function writeAll(w: CaptureWriter, n: number, batch = 500, msgBytes?: number) {
  for (const b of batchesOf(makeEntries(n, { msgBytes }), batch)) await w.write(encodeJsonlBatch(b));
  return w.close();
}

describe("capture writer", () => {
  test("writes independent zstd frames the zstd CLI decodes, with an index line per closed file", async () => {
    const dir = join(tempDir(), "cap");
    const w = new CaptureWriter({ dir, maxFileBytes: 256 << 20, maxDiskBytes: 0, compress: true, frameBytes: 64 << 10 });
    const totals = await writeAll(w, 20_000);
    expect(totals.lines).toBe(20_000);
    const lines = linesViaZstdCli(dir);
    expect(lines.length).toBe(20_000);
    expect(JSON.parse(lines[0]!)).toEqual({ ts: "2023-11-14T22:13:20Z", labels: { app: "api", namespace: "prod" }, msg: "line 0 level=error " });
    const [entry] = readIndex(dir);
    expect(entry!.lines).toBe(20_000);
    expect(entry!.bytes).toBe(totals.bytes);
    expect(entry!.labels).toEqual({ app: { api: 6667, worker: 6667, web: 6666 }, namespace: { prod: 20_000 } });
    expect(entry!.from).toBe("2023-11-14T22:13:20Z");
    expect(entry!.to).toBe("2023-11-14T22:13:39.999Z");
    // Frames are recorded exactly where the scanner finds them, each ≤ the frame budget of JSONL.
    const bytes = readFileSync(join(dir, entry!.file));
    const spans = scanZstdFrames(bytes);
    expect(entry!.frames!.map((f) => [f.offset, f.length])).toEqual(spans.map((s) => [s.offset, s.length]));
    expect(entry!.frames!.length).toBeGreaterThan(10);
    for (const f of entry!.frames!) {
      const raw = Bun.zstdDecompressSync(bytes.subarray(f.offset, f.offset + f.length));
      expect(raw.length).toBeLessThanOrEqual(64 << 10);
      expect(raw.toString().split("\n").length - 1).toBe(f.lines);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
  });

  test("lines longer than a frame, between short ones, come back byte for byte (frame buffers are reused)", async () => {
    const dir = join(tempDir(), "cap");
    const w = new CaptureWriter({ dir, maxFileBytes: 256 << 20, maxDiskBytes: 0, compress: true, frameBytes: 4096 });
    const entries = makeEntries(3_000);
    for (let i = 0; i < entries.length; i += 97) entries[i] = { ...entries[i]!, msg: `huge ${i} ` + "x".repeat(3_000 + i * 3) };
    const expected = batchesOf(entries, 250).flatMap((b) => new TextDecoder().decode(encodeJsonlBatch(b).bytes).split("\n").filter(Boolean));
    for (const b of batchesOf(entries, 250)) await w.write(encodeJsonlBatch(b));
    await w.close();
    expect(linesViaZstdCli(dir)).toEqual(expected);
  });

  test("rotates before a line would pass --max-file; no file exceeds it", async () => {
    const dir = join(tempDir(), "cap");
    const maxFile = 100_000;
    const w = new CaptureWriter({ dir, maxFileBytes: maxFile, maxDiskBytes: 0, compress: true });
    const totals = await writeAll(w, 10_000, 777);
    const index = readIndex(dir);
    expect(index.length).toBeGreaterThan(5);
    expect(index.map((e) => e.file)).toEqual(dataFiles(dir));
    for (const e of index) expect(e.bytes).toBeLessThanOrEqual(maxFile);
    expect(index.reduce((n, e) => n + e.lines, 0)).toBe(10_000);
    expect(index.reduce((n, e) => n + e.bytes, 0)).toBe(totals.bytes);
    expect(linesViaZstdCli(dir).map((l) => JSON.parse(l).msg.split(" ")[1])).toEqual(
      Array.from({ length: 10_000 }, (_, i) => String(i)),
    );
  });

  test("--compress=false writes plain JSONL files", async () => {
    const dir = join(tempDir(), "cap");
    const w = new CaptureWriter({ dir, maxFileBytes: 50_000, maxDiskBytes: 0, compress: false });
    await writeAll(w, 3000);
    const files = dataFiles(dir);
    expect(files.every((f) => f.endsWith(".jsonl"))).toBe(true);
    expect(linesViaZstdCli(dir).length).toBe(3000);
  });

  test("the disk cap deletes the oldest data files as files grow and keeps the index true", async () => {
    const dir = join(tempDir(), "cap");
    const maxDisk = 200_000;
    const frame = 16 << 10;
    let peak = 0;
    const deleted: string[] = [];
    const w = new CaptureWriter({
      dir,
      maxFileBytes: 60_000,
      maxDiskBytes: maxDisk,
      compress: false,
      frameBytes: frame,
      events: { onDiskUsage: (b) => (peak = Math.max(peak, b)), onDelete: (f) => deleted.push(f) },
    });
    await writeAll(w, 20_000);
    const usage = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(usage).toBeLessThanOrEqual(maxDisk + frame);
    expect(peak).toBeLessThanOrEqual(maxDisk + frame);
    expect(deleted.length).toBeGreaterThan(0);
    expect(readIndex(dir).map((e) => e.file)).toEqual(dataFiles(dir));
    // What survives is the newest data, contiguous up to the last line.
    const msgs = linesViaZstdCli(dir).map((l) => Number(JSON.parse(l).msg.split(" ")[1]));
    expect(msgs[msgs.length - 1]).toBe(19_999);
    expect(msgs).toEqual(Array.from({ length: msgs.length }, (_, i) => 20_000 - msgs.length + i));
  });

  test("a cap smaller than one file still holds: the active file is closed and deleted", async () => {
    const dir = join(tempDir(), "cap");
    const frame = 4 << 10;
    const w = new CaptureWriter({ dir, maxFileBytes: 1 << 30, maxDiskBytes: 20_000, compress: false, frameBytes: frame });
    await writeAll(w, 5000, 50);
    const usage = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(usage).toBeLessThanOrEqual(20_000 + frame);
  });
});
