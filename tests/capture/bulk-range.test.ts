import { describe, expect, test } from "bun:test";
import { findBulk, type LineSpan } from "../../src/capture/bulk-range.ts";
import { receiveWindows, TimeSpans } from "../../src/capture/inspect/time-spans.ts";
import { tempDir } from "../support/receiver-process.ts";
import { join } from "node:path";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { readIndex } from "../../src/capture/index-file.ts";

const H = 3600;
const D = 86400;
const T = 1_750_000_000;
const point = (sec: number, lines = 1): LineSpan => ({ fromSec: sec, toSec: sec, lines });
const everyMinute = (from: number, n: number, lines = 10) => Array.from({ length: n }, (_, i) => ({ fromSec: from + i * 60, toSec: from + i * 60 + 59, lines }));

describe("findBulk", () => {
  test("one stray line years away, before or after, is an outlier", () => {
    const b = findBulk([point(1_234_567_890), ...everyMinute(T, 30), point(T + 400 * D)])!;
    expect([b.fromSec, b.toSec]).toEqual([T, T + 30 * 60 - 1]);
    expect(b.before).toEqual({ lines: 1, fromSec: 1_234_567_890, toSec: 1_234_567_890, atLeast: false });
    expect(b.after!.lines).toBe(1);
    expect(b.inside).toEqual([false, ...Array(30).fill(true), false]);
  });

  test("no outliers: the bulk is the whole range", () => {
    const spans = everyMinute(T, 120);
    const b = findBulk(spans)!;
    expect([b.fromSec, b.toSec, b.before, b.after]).toEqual([T, T + 120 * 60 - 1, null, null]);
    expect(findBulk([])).toBeNull();
  });

  test("regularly sparse data stays one island: a line every three hours", () => {
    const b = findBulk([0, 1, 2, 3].map((i) => point(T + i * 3 * H)))!;
    expect([b.before, b.after]).toEqual([null, null]);
  });

  test("two heavy sessions a day apart are both the bulk; a light one far off is not", () => {
    const b = findBulk([point(T - 20 * D, 3), ...everyMinute(T, 60), ...everyMinute(T + D, 60)])!;
    expect([b.fromSec, b.toSec]).toEqual([T, T + D + 3600 - 1]);
    expect(b.before!.lines).toBe(3);
  });

  test("a few lines far off next to a handful: only a single stray counts as an outlier", () => {
    expect(findBulk([point(0), ...[1, 2, 3, 4, 5].map((i) => point(T + i))])!.before!.lines).toBe(1);
    // Three against five is not a stray: both are kept and the axis spans them.
    const even = findBulk([point(0, 3), point(T, 5)])!;
    expect([even.fromSec, even.before]).toEqual([0, null]);
  });

  test("light islands join when no farther than an hour or the bulk's width; heavy ones join from anywhere", () => {
    // 10 lines 40 min before (the hour); then 1 line 90 min before the now 2 h 10 min wide bulk (its width).
    const b = findBulk([point(T - 50 * 60 - 90 * 60), ...everyMinute(T - 50 * 60, 10, 1), ...everyMinute(T, 120), point(T + 2 * H + 5 * H)])!;
    expect(b.fromSec).toBe(T - 140 * 60);
    expect(b.after!.lines).toBe(1);
    // 14 % of the lines, two hours away from a one-hour bulk: heavy, so part of it.
    expect(findBulk([...everyMinute(T - 3 * H, 10), ...everyMinute(T, 60)])!.fromSec).toBe(T - 3 * H);
  });
});

describe("inspect's spans from index records", () => {
  test("a file range reaching years before the file was opened: one stray line there, the rest where it was written", () => {
    const opened = T;
    const spans = new TimeSpans();
    spans.addIndexed({ fromSec: T - 2 * H, toSec: T - H, lines: 100 }, { fromSec: T - 2 * H - 5, toSec: opened });
    spans.addIndexed({ fromSec: 1_234_567_890, toSec: T + 1800, lines: 100 }, { fromSec: opened, toSec: T + 3600 });
    const { bulk, plotted } = spans.resolve();
    expect(bulk!.before).toEqual({ lines: 1, fromSec: 1_234_567_890, toSec: 1_234_567_890, atLeast: true });
    expect(plotted).toEqual([
      { fromSec: T - 2 * H, toSec: T - H, lines: 100 },
      { fromSec: T, toSec: T + 1800, lines: 99 },
    ]);
  });

  test("a wide range whose far end lies in the bulk after all is spread whole, as upstream does", () => {
    const spans = new TimeSpans();
    spans.addIndexed({ fromSec: T - 8 * D, toSec: T, lines: 1000 }, { fromSec: T - 10, toSec: T + 10 });
    spans.addIndexed({ fromSec: T - 8 * D, toSec: T - 7.5 * D, lines: 1000 }, null);
    const { bulk, plotted } = spans.resolve();
    expect([bulk!.before, bulk!.after]).toEqual([null, null]);
    expect(plotted[0]).toEqual({ fromSec: T - 8 * D, toSec: T, lines: 1000 });
  });

  test("receive windows come from the data file names; the stop closes the last one", () => {
    const w = receiveWindows(["2024-01-15T093201-000.jsonl.zst", "2024-01-15T094300-000.jsonl.zst", "export-000.jsonl"], Date.UTC(2024, 0, 15, 10) / 1000);
    expect(w.get("2024-01-15T093201-000.jsonl.zst")).toEqual({ fromSec: Date.UTC(2024, 0, 15, 9, 32, 1) / 1000, toSec: Date.UTC(2024, 0, 15, 9, 43) / 1000 });
    expect(w.get("2024-01-15T094300-000.jsonl.zst")!.toSec).toBe(Date.UTC(2024, 0, 15, 10) / 1000);
    expect(w.has("export-000.jsonl")).toBe(false);
    expect(receiveWindows(["2024-01-15T094300-000.jsonl"], null).get("2024-01-15T094300-000.jsonl")!.toSec).toBe(Infinity);
  });
});

describe("frame parts", () => {
  const labels = Object.freeze({ app: "web" });
  const entries = (now: number) => [
    ...Array.from({ length: 50 }, (_, i) => ({ sec: now - 60 + i, nsec: 0, labels, msg: `live ${i}` })),
    { sec: now - 3 * H, nsec: 5, labels, msg: "three hours behind" },
    { sec: now + H, nsec: 0, labels, msg: "an hour ahead" },
    ...Array.from({ length: 50 }, (_, i) => ({ sec: now - 10 + i, nsec: 0, labels, msg: `live again ${i}` })),
  ];

  test("with the receiver's clock a frame records its lines behind, near and ahead; copies without one do not", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const clock of [() => now, undefined]) {
      const dir = join(tempDir(), "parts");
      const w = new CaptureWriter({ dir, maxFileBytes: 1 << 30, maxDiskBytes: 0, compress: true, receiveClock: clock });
      await w.write(encodeJsonlBatch({ entries: entries(now) }));
      await w.close();
      const [frame] = readIndex(dir)[0]!.frames!;
      expect(frame!.lines).toBe(102);
      if (!clock) {
        expect(frame!.parts).toBeUndefined();
        continue;
      }
      const iso = (sec: number, ns = "") => new Date(sec * 1000).toISOString().replace(".000Z", `${ns}Z`);
      expect(frame!.parts).toEqual([
        { lines: 1, from: iso(now - 3 * H, ".000000005"), to: iso(now - 3 * H, ".000000005") },
        { lines: 100, from: iso(now - 60), to: iso(now + 39) },
        { lines: 1, from: iso(now + H), to: iso(now + H) },
      ]);
      expect([frame!.from, frame!.to]).toEqual([iso(now - 3 * H, ".000000005"), iso(now + H)]);
    }
  });

  test("a frame entirely behind (a replay of old logs) needs no parts", async () => {
    const now = Math.floor(Date.now() / 1000);
    const dir = join(tempDir(), "replay");
    const w = new CaptureWriter({ dir, maxFileBytes: 1 << 30, maxDiskBytes: 0, compress: false, receiveClock: () => now });
    await w.write(encodeJsonlBatch({ entries: entries(now - 30 * D) }));
    await w.close();
    expect(readIndex(dir)[0]!.frames![0]!.parts).toBeUndefined();
  });
});
