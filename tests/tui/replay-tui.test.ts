import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Entry } from "../../src/model/entry.ts";
import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import { openCapture } from "../../src/capture/capture-info.ts";
import { EntryFilter } from "../../src/capture/filters/entry-filter.ts";
import { startReplayTui, type ReplayTui, type ReplayTuiOptions } from "../../src/tui/replay/replay-tui.ts";
import { Playback } from "../../src/tui/replay/playback.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { harness, newRenderer, type Harness } from "./tui-harness.ts";
import { entry, FakeTime } from "./tui-fixtures.ts";

let root: string;
let multi: string;
let single: string;
let slow: string;

// 60 entries one per second: web 30, api 20, db 10; every 6th an error.
const MULTI: Entry[] = Array.from({ length: 60 }, (_, i) =>
  entry(i, i % 2 === 0 ? "web" : i % 3 === 1 ? "api" : i % 6 === 5 ? "db" : "api", i % 6 === 0 ? `error: boom ${i}` : `ok ${i}`),
);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "logtap-tui-replay-"));
  multi = join(root, "multi");
  single = join(root, "single");
  slow = join(root, "slow");
  await writeOurCapture(multi, MULTI);
  await writeOurCapture(single, Array.from({ length: 5 }, (_, i) => entry(i, "web", `only ${i}`)));
  await writeOurCapture(slow, Array.from({ length: 5 }, (_, i) => entry(i * 10, "web", `slow ${i}`)));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Open {
  h: Harness;
  tui: ReplayTui;
}
let opened: Open[] = [];
afterEach(() => {
  for (const o of opened) {
    o.tui.stop();
    o.h.t.renderer.destroy();
  }
  opened = [];
});

async function replay(dir: string, o: Partial<ReplayTuiOptions> = {}, size = { w: 100, h: 24 }): Promise<Open> {
  const t = await newRenderer(size.w, size.h);
  const tui = startReplayTui(t.renderer, {
    capture: openCapture(dir),
    filter: new EntryFilter(),
    speed: 0,
    labelGiven: false,
    ringSize: 10_000,
    refreshMs: 1e9,
    tickMs: 1e9,
    ...o,
  });
  const r = { h: harness(t), tui };
  opened.push(r);
  return r;
}

async function until(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out");
    await Bun.sleep(5);
  }
}

describe("service picker (upstream §5.3)", () => {
  test("shown when there are several services and no --label; all selected", async () => {
    const { h, tui } = await replay(multi);
    const s = await h.lines();
    expect(s.slice(0, 10)).toEqual([
      "Select services to load",
      "",
      `Capture: ${multi}`,
      "Time:    2025-01-15 10:00 — 2025-01-15 11:00",
      "Total:   60 lines",
      "",
      "> [x] web (30 lines)",
      "  [x] api (20 lines)",
      "  [x] db (10 lines)",
      "",
    ]);
    expect(s[10]).toBe("Space: toggle  |  a: toggle all  |  Enter: confirm  |  q: quit");
    expect(tui.picker()).not.toBeNull();
    expect(tui.feed.emitted).toBe(0);
  });

  test("j/k/Space/a then Enter replays only the chosen services; skipped entries still count as emitted", async () => {
    const { h, tui } = await replay(multi);
    await h.press("a");
    expect((await h.lines())[6]).toBe("> [ ] web (30 lines)");
    await h.press("j", "ARROW_DOWN", " ", "k", "ARROW_UP");
    let s = await h.lines();
    expect(s.slice(6, 9)).toEqual(["> [ ] web (30 lines)", "  [ ] api (20 lines)", "  [x] db (10 lines)"]);
    await h.press("RETURN");
    expect(tui.picker()).toBeNull();
    await until(() => tui.feed.done);
    expect(tui.feed.emitted).toBe(60);
    expect(tui.ring.toArray().map((e) => e.labels.app)).toEqual(Array(10).fill("db"));
    s = await h.lines();
    expect(s[1]).toBe("Services: db (10)");
  });

  test("q on the picker quits without replaying", async () => {
    const { h, tui } = await replay(multi);
    await h.press("q");
    expect(await tui.done).toBe("quit");
    expect(tui.feed.emitted).toBe(0);
  });

  test("no picker with --label, nor with one service", async () => {
    const a = await replay(multi, { labelGiven: true });
    expect(a.tui.picker()).toBeNull();
    const b = await replay(single);
    expect(b.tui.picker()).toBeNull();
    expect((await b.h.lines())[0]).toStartWith("logtap open | ");
  });
});

describe("replay screen", () => {
  test("instant replay: header, services, progress, lines, DONE, separator, log pane, COMPLETE", async () => {
    const { h, tui } = await replay(multi, { labelGiven: true });
    await until(() => tui.feed.done);
    const s = await h.lines();
    expect(s[0]).toBe(`logtap open | ${multi} | 2025-01-15 10:00 — 2025-01-15 11:00 | 60 lines`);
    expect(s[1]).toBe("Services: web (30) · api (20) · db (10)");
    expect(s[2]).toBe(` Progress:  [${"=".repeat(80)}] 100%`);
    expect(s[3]).toBe(" Lines:     60 / 60");
    expect(s[4]).toMatch(/^ Speed:     DONE in 00:0\d$/);
    expect(s[5]).toBe("─".repeat(100));
    // 24 − 7 = 17 log rows.
    expect(s[6]).toBe("2025-01-15T10:00:43Z [api] ok 43");
    expect(s[22]).toBe("2025-01-15T10:00:59Z [db] ok 59");
    expect(s[23]).toEndWith("COMPLETE FOLLOW");
  });

  test("filters, highlight and help work as in the live TUI; help has a Playback section", async () => {
    const { h, tui } = await replay(multi, { labelGiven: true });
    await until(() => tui.feed.done);
    await h.press("/");
    await h.type("=error");
    let s = await h.lines();
    expect(s.slice(6, 16)).toEqual([0, 6, 12, 18, 24, 30, 36, 42, 48, 54].map((i) => `2025-01-15T10:00:${String(i).padStart(2, "0")}Z [web] error: boom ${i}`));
    expect(s[23]).toEndWith("COMPLETE GREP: /error [10 lines] FOLLOW");
    await h.press("?");
    s = await h.lines();
    expect(s.join("\n")).toContain("Playback");
    expect(s.join("\n")).toContain("Space        pause / resume");
  });

  test("Space pauses (PAUSED shown, nothing more emitted), resumes; ] and [ change the speed", async () => {
    const time = new FakeTime(2);
    const playback = new Playback(1, time);
    const { h, tui } = await replay(slow, { speed: 1, playback });
    await until(() => tui.feed.emitted === 1);
    let s = await h.lines();
    expect(s[4]).toBe(" Speed:     1x");
    expect(s[23]).toEndWith("1x FOLLOW");
    await time.advance(10_000);
    await until(() => tui.feed.emitted === 2);
    await h.press(" ");
    s = await h.lines();
    expect(s[4]).toBe(" Speed:     PAUSED");
    expect(s[23]).toEndWith("PAUSED FOLLOW");
    await time.advance(60_000);
    expect(tui.feed.emitted).toBe(2);
    await h.press(" ");
    expect((await h.lines())[4]).toBe(" Speed:     1x");
    // The pause shifted the anchor: the third entry is still 10 s of replay time after the second.
    await time.advance(9_000);
    expect(tui.feed.emitted).toBe(2);
    await time.advance(1_100);
    await until(() => tui.feed.emitted === 3);
    await h.press("]", "]");
    expect(playback.speed).toBe(4);
    expect((await h.lines())[4]).toBe(" Speed:     4x");
    await time.advance(2_600);
    await until(() => tui.feed.emitted === 4);
    await h.press("[", "[", "[");
    expect(playback.speed).toBe(0.5);
    expect((await h.lines())[23]).toEndWith("0.5x FOLLOW");
  });

  test("q stops the replay", async () => {
    const time = new FakeTime(2);
    const { h, tui } = await replay(slow, { speed: 1, playback: new Playback(1, time) });
    await until(() => tui.feed.emitted === 1);
    await h.press("q");
    expect(await tui.done).toBe("quit");
    expect(tui.playback.stopped).toBe(true);
    await time.advance(100_000);
    expect(tui.feed.emitted).toBeLessThanOrEqual(2);
  });

  test("a resize re-lays out the replay at once", async () => {
    const { h, tui } = await replay(multi, { labelGiven: true });
    await until(() => tui.feed.done);
    h.t.resize(50, 10);
    const s = await h.lines();
    expect(s).toHaveLength(10);
    expect(s[2]).toBe(` Progress:  [${"=".repeat(30)}] 100%`);
    expect(s[5]).toBe("─".repeat(50));
    expect(s[8]).toBe("2025-01-15T10:00:59Z [db] ok 59");
  });

  test("the --tui-buffer ring keeps only the newest entries", async () => {
    const { tui } = await replay(multi, { labelGiven: true, ringSize: 7 });
    await until(() => tui.feed.done);
    expect(tui.ring.toArray().map((e) => e.msg)).toEqual(["ok 53", "error: boom 54", "ok 55", "ok 56", "ok 57", "ok 58", "ok 59"]);
  });

  test("extra stages (fault injection) run between the filter and pacing", async () => {
    const mark = new TransformStream<CaptureBatch, CaptureBatch>({
      transform(b, c) {
        c.enqueue({ ...b, entries: b.entries.map((e) => ({ ...e, msg: e.msg + " [SLOW: 5.2s]" })) });
      },
    });
    const { h, tui } = await replay(single, { stages: [mark] });
    await until(() => tui.feed.done);
    expect((await h.lines())[10]).toBe("2025-01-15T10:00:04Z [web] only 4 [SLOW: 5.2s]");
  });
});
