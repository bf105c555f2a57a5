import { describe, expect, test } from "bun:test";
import { fasterSpeed, slowerSpeed } from "../../src/tui/model/speed.ts";
import { cut, fit, formatBytesTui, formatClock, formatMinute, formatRate, formatSpeed } from "../../src/tui/format.ts";
import { Playback } from "../../src/tui/replay/playback.ts";
import { servicesOf, servicesPassing } from "../../src/tui/replay/services.ts";
import { ServicePicker } from "../../src/tui/model/service-picker.ts";
import { TopTalkers } from "../../src/tui/model/talkers.ts";
import { LiveStats } from "../../src/tui/live/live-stats.ts";
import { key } from "../../src/tui/model/key.ts";
import { entry, FakeTime } from "./tui-fixtures.ts";
import { parseTuiBuffer, tuiWanted } from "../../src/tui/tty.ts";
import type { IndexEntry } from "../../src/capture/index-file.ts";

describe("speed steps (upstream §5.3)", () => {
  test("] faster", () => {
    expect(fasterSpeed(0)).toBe(0);
    expect(fasterSpeed(0.25)).toBe(1);
    expect(fasterSpeed(1)).toBe(2);
    expect(fasterSpeed(32)).toBe(64);
  });
  test("[ slower", () => {
    expect(slowerSpeed(0)).toBe(64);
    expect(slowerSpeed(1)).toBe(0.5);
    expect(slowerSpeed(0.5)).toBe(0.25);
    expect(slowerSpeed(8)).toBe(4);
    expect(slowerSpeed(1.5)).toBe(1);
  });
});

describe("formats (upstream §1.8)", () => {
  test("formatRate, formatSpeed, formatClock, formatBytes with TB", () => {
    expect([formatRate(999), formatRate(1500), formatRate(2_000_000), formatRate(0)]).toEqual(["999", "1.5K", "2.0M", "0"]);
    expect([formatSpeed(0), formatSpeed(1), formatSpeed(10), formatSpeed(0.5), formatSpeed(0.25)]).toEqual(["instant", "1x", "10x", "0.5x", "0.2x"]);
    expect([formatClock(245_000), formatClock(3_723_000)]).toEqual(["04:05", "01:02:03"]);
    expect([formatBytesTui(1024 ** 4), formatBytesTui(1536)]).toEqual(["1.0 TB", "1.5 KB"]);
  });
  test("start/stop as YYYY-MM-DD HH:MM in UTC (Q14 fixed)", () => {
    expect(formatMinute({ sec: Date.parse("2025-01-15T10:32:59Z") / 1000 })).toBe("2025-01-15 10:32");
  });
  test("cut and fit count characters", () => {
    expect(cut("héllo", 2)).toBe("hé");
    expect(fit("ab", 4)).toBe("ab  ");
    expect(fit("abcdef", 4)).toBe("abcd");
  });
});

describe("Playback", () => {
  test("the pace clock stands still while paused, so a pause shifts the anchor", async () => {
    const time = new FakeTime();
    const p = new Playback(1, time);
    time.t = 1000;
    expect(p.now()).toBe(1000);
    p.togglePause();
    time.t = 5000;
    expect(p.now()).toBe(1000);
    p.togglePause();
    time.t = 6000;
    expect(p.now()).toBe(2000);
  });

  test("a sleep waits replay time; paused time does not count", async () => {
    const time = new FakeTime();
    const p = new Playback(1, time);
    let woke = false;
    void p.clock.sleep(1000).then(() => (woke = true));
    await time.advance(400);
    p.togglePause();
    await time.advance(5000);
    expect(woke).toBe(false);
    p.togglePause();
    await time.advance(590);
    expect(woke).toBe(false);
    await time.advance(20);
    expect(woke).toBe(true);
  });

  test("a speed change mid-sleep rescales the rest of the wait", async () => {
    const time = new FakeTime();
    const p = new Playback(1, time);
    let wokeAt = -1;
    void p.clock.sleep(1000).then(() => (wokeAt = time.t));
    await time.advance(200);
    p.faster(); // 2x: 800 ms of capture time left → 400 ms
    await time.advance(1000);
    expect(wokeAt).toBeGreaterThanOrEqual(599);
    expect(wokeAt).toBeLessThanOrEqual(601);
  });

  test("the gate holds while paused and opens on resume; stop releases everything", async () => {
    const time = new FakeTime();
    const p = new Playback(0, time);
    expect(p.gate()).toBeUndefined();
    p.togglePause();
    let open = false;
    const gate = p.gate()!.then(() => (open = true));
    // Nothing to wait for while paused: let pending callbacks run, then check the gate is still shut.
    await Bun.sleep(1);
    expect(open).toBe(false);
    p.togglePause();
    await settlesWithin(gate, 1_000, "the gate to open on resume");
    expect(open).toBe(true);

    p.togglePause();
    let released = false;
    const held = p.gate()!.then(() => (released = true));
    let slept = false;
    const sleeping = p.clock.sleep(10_000).then(() => (slept = true));
    p.stop();
    // Both settle on stop, though the fake clock never reaches 10 s.
    await settlesWithin(Promise.all([held, sleeping]), 1_000, "stop to release the gate and the clock");
    expect(released).toBe(true);
    expect(slept).toBe(true);
  });

  test("speed changes through ] and [", () => {
    const p = new Playback(1);
    p.faster();
    p.faster();
    expect(p.speed).toBe(4);
    p.slower();
    expect(p.speed).toBe(2);
    expect(p.control.speed()).toBe(2);
  });
});

describe("services and the picker", () => {
  const index: IndexEntry[] = [
    { file: "a", from: "", to: "", lines: 10, bytes: 1, labels: { app: { web: 6, api: 4 }, env: { prod: 10 } } },
    { file: "b", from: "", to: "", lines: 10, bytes: 1, labels: { app: { web: 1, db: 9 }, env: { prod: 10 } } },
  ];

  test("the label key with most distinct values; values by lines", () => {
    expect(servicesOf(index)).toEqual({ key: "app", list: [{ name: "db", lines: 9 }, { name: "web", lines: 7 }, { name: "api", lines: 4 }] });
    expect(servicesOf([])).toBeNull();
    // Ties between keys go to the first name.
    expect(servicesOf([{ file: "a", from: "", to: "", lines: 2, bytes: 1, labels: { svc: { a: 1, b: 1 }, app: { x: 1, y: 1 } } }])!.key).toBe("app");
  });

  test("the services line follows --label on the service key; a filter on another key leaves it whole", () => {
    const s = servicesOf(index)!;
    expect(servicesPassing(s, [{ key: "app", value: "web" }])).toEqual([{ name: "web", lines: 7 }]);
    expect(servicesPassing(s, [{ key: "app", value: "nope" }])).toEqual([]);
    expect(servicesPassing(s, [{ key: "env", value: "prod" }])).toEqual(s.list);
    expect(servicesPassing(s, [])).toEqual(s.list);
  });

  test("picker keys: move, toggle, toggle all, start, quit; none or all selected means no restriction", () => {
    const p = new ServicePicker(servicesOf(index)!);
    expect(p.selection()).toBeNull();
    p.handleKey(key("j"));
    p.handleKey(key("down"));
    p.handleKey(key("down"));
    expect(p.cursor).toBe(2);
    p.handleKey(key("k"));
    p.handleKey(key(" "));
    expect(p.selection()).toEqual(new Set(["db", "api"]));
    p.handleKey(key("a"));
    expect(p.selected).toEqual([true, true, true]);
    p.handleKey(key("a"));
    expect(p.selected).toEqual([false, false, false]);
    expect(p.selection()).toBeNull();
    p.handleKey(key("up"));
    p.handleKey(key("up"));
    p.handleKey(key(" "));
    expect(p.selection()).toEqual(new Set(["db"]));
    expect(p.handleKey(key("return"))).toBe("start");
    expect(p.handleKey(key("q"))).toBe("quit");
    expect(p.handleKey(key("c", { ctrl: true }))).toBe("quit");
  });
});

describe("top talkers and live stats", () => {
  test("counts per service, rates per tick, most first", () => {
    const t = new TopTalkers();
    t.add([entry(0, "web", "a"), entry(1, "web", "b"), entry(2, "api", "c"), { sec: 0, nsec: 0, labels: {}, msg: "no labels" }]);
    expect(t.top(5)).toEqual([
      { name: "web", count: 2, rate: null },
      { name: "api", count: 1, rate: null },
    ]);
    t.tick(1);
    t.add([entry(3, "api", "d"), entry(4, "api", "e"), entry(5, "api", "f")]);
    t.tick(2);
    expect(t.top(1)).toEqual([{ name: "api", count: 4, rate: 1.5 }]);
    expect(t.top(5)[1]).toEqual({ name: "web", count: 2, rate: null });
  });

  test("distinct services are capped", () => {
    const t = new TopTalkers(2);
    t.add([entry(0, "a", ""), entry(0, "b", ""), entry(0, "c", ""), entry(0, "d", "")]);
    expect(t.top(5).map((x) => x.name).sort()).toEqual(["(other)", "a", "b"]);
  });

  test("logs/s and bytes/s over the time between ticks", () => {
    const c = { received: 0, bytesWritten: 0, dropped: 0, connections: 0, diskUsage: 0 };
    const s = new LiveStats(() => ({ ...c }), 0);
    c.received = 500;
    c.bytesWritten = 4096;
    s.tick(2000);
    expect(s.current()).toMatchObject({ logsPerSec: 250, bytesPerSec: 2048, received: 500 });
    c.dropped = 3;
    expect(s.current().dropped).toBe(3);
  });
});

describe("TUI choice", () => {
  const tty = { stdin: true, stdout: true };
  const pipe = { stdin: true, stdout: false };
  test("only on a terminal, not with TERM=dumb, --headless or --format", () => {
    expect(tuiWanted({}, { TERM: "xterm" }, tty)).toBe(true);
    expect(tuiWanted({}, { TERM: "xterm" }, pipe)).toBe(false);
    expect(tuiWanted({}, { TERM: "dumb" }, tty)).toBe(false);
    expect(tuiWanted({ headless: true }, { TERM: "xterm" }, tty)).toBe(false);
    expect(tuiWanted({ format: "text" }, { TERM: "xterm" }, tty)).toBe(false);
  });
  test("--tui-buffer", () => {
    expect(parseTuiBuffer(undefined)).toBe(10_000);
    expect(parseTuiBuffer("500")).toBe(500);
    expect(parseTuiBuffer("0")).toContain("invalid --tui-buffer");
    expect(parseTuiBuffer("1e3")).toContain("invalid --tui-buffer");
    expect(parseTuiBuffer("2000000")).toContain("exceeds maximum");
  });
});

/** Awaits `p`, failing with `what` if it has not settled within `ms` (a deadline, not a wait). */
async function settlesWithin<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
