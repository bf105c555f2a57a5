import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Entry } from "../../src/model/entry.ts";
import { RingBuffer } from "../../src/tui/model/ring-buffer.ts";
import { TopTalkers } from "../../src/tui/model/talkers.ts";
import { startLiveDashboard, type Dashboard } from "../../src/tui/live/live-dashboard.ts";
import type { LiveCounters } from "../../src/tui/live/live-stats.ts";
import { colours, serviceColour } from "../../src/tui/view/theme.ts";
import { CaptureReader } from "../../src/capture/reader/capture-reader.ts";
import { readMetadata } from "../../src/capture/metadata.ts";
import { VERSION } from "../../src/version.ts";
import { harness, newRenderer, sameColour, type Harness } from "./tui-harness.ts";
import { entry, sample } from "./tui-fixtures.ts";

const FIXED = new Date(2026, 2, 5, 14, 32, 5);

interface Live {
  h: Harness;
  dash: Dashboard;
  ring: RingBuffer<Entry>;
  talkers: TopTalkers;
  counters: LiveCounters;
}

let open: Live[] = [];
afterEach(async () => {
  for (const l of open) {
    l.dash.stop();
    l.h.t.renderer.destroy();
  }
  open = [];
});

async function live(entries: Entry[], o: { width?: number; height?: number; redact?: number | null; ring?: number; kitty?: boolean; exportView?: (p: string, e: readonly Entry[]) => Promise<string> } = {}): Promise<Live> {
  const t = await newRenderer(o.width ?? 100, o.height ?? 24, o.kitty ?? false);
  const ring = new RingBuffer<Entry>(o.ring ?? 10_000);
  const talkers = new TopTalkers();
  ring.pushAll(entries);
  talkers.add(entries);
  const counters: LiveCounters = { received: entries.length, bytesWritten: 123_456, dropped: 0, connections: 2, diskUsage: 5 * 1024 * 1024 };
  const dash = startLiveDashboard(t.renderer, {
    ring,
    talkers,
    counters: () => ({ ...counters }),
    info: { version: VERSION, listen: "127.0.0.1:3100", dir: "./capture", maxDisk: 50 * 1024 ** 3, redactPatterns: o.redact === undefined ? null : o.redact },
    refreshMs: 1e9,
    tickMs: 1e9,
    now: () => FIXED,
    exportView: o.exportView,
  });
  const l = { h: harness(t), dash, ring, talkers, counters };
  open.push(l);
  return l;
}

describe("live dashboard layout (upstream §5.1)", () => {
  test("header, stats, talkers, separator, log pane and status bar", async () => {
    const { h } = await live(sample(30));
    const s = await h.lines();
    expect(s[0]).toBe(`logtap v${VERSION} | 127.0.0.1:3100 | ./capture`);
    expect(s[1]).toBe("");
    expect(s[2]).toMatch(/^ Connections:  2 +Top talkers$/);
    // Equal counts: by name.
    expect(s[3]).toMatch(/^ Logs\/sec:     0 +api +10 total$/);
    expect(s[4]).toMatch(/^ Bytes\/sec:    0 B +db +10 total$/);
    expect(s[5]).toMatch(/^ Disk used:    5\.0 MB \/ 50\.0 GB +web +10 total$/);
    expect(s[6]).toBe(" Dropped:      0");
    expect(s[7]).toStartWith(" Redact:       OFF — captured logs may contain");
    expect(s[8]).toBe("─".repeat(100));
    // 24 rows − 10 rows of chrome = 14 log rows, the newest at the bottom.
    expect(s.slice(9, 23)).toHaveLength(14);
    expect(s[9]).toBe("2025-01-15T10:00:16Z [api] GET /item/16 200 #16");
    expect(s[22]).toBe("2025-01-15T10:00:29Z [db] GET /item/29 200 #29");
    expect(s[23]).toBe(" ".repeat(94) + "FOLLOW");
  });

  test("rates after a tick, dropped in red, redaction on", async () => {
    const l = await live(sample(3), { redact: 7 });
    l.counters.received += 5000;
    l.counters.bytesWritten += 2 * 1024 * 1024;
    l.counters.dropped = 12;
    l.dash.tick();
    const s = await l.h.lines();
    expect(s[3]).toMatch(/^ Logs\/sec:     \d/);
    expect(s[6]).toBe(" Dropped:      12");
    expect(s[7]).toBe(" Redact:       on (7 patterns)");
    const spans = l.h.t.captureSpans().lines[6]!.spans;
    const dropped = spans.find((sp) => sp.text.startsWith("12"));
    expect(sameColour(dropped?.fg, colours.dropped)).toBe(true);
  });

  test("talkers show a rate once one is known", async () => {
    const l = await live([]);
    l.talkers.add(sample(31));
    l.dash.tick();
    const s = await l.h.lines();
    expect(s[3]).toMatch(/ web {18}\d+(\.\d)?K?\/s$/);
  });

  test("error lines are coloured; services get stable colours", async () => {
    const { h } = await live(sample(30));
    const err = await h.styleOf("error: request failed #25");
    expect(sameColour(err?.fg, colours.error)).toBe(true);
    const s = await h.lines();
    expect(s.some((l) => l.includes("[web]"))).toBe(true);
    const frame = h.t.captureSpans().lines;
    // The talkers pane (row 5: web) and every log row name a service in that service's colour.
    const talker = frame[5]!.spans.find((sp) => sp.text.trim() === "web");
    expect(sameColour(talker?.fg, serviceColour("web"))).toBe(true);
    for (const app of ["web", "api", "db"]) {
      const spans = frame.slice(9, 23).flatMap((l) => l.spans).filter((sp) => sp.text === app);
      expect({ app, rows: spans.length >= 4 }).toEqual({ app, rows: true });
      for (const sp of spans) expect({ app, same: sameColour(sp.fg, serviceColour(app)) }).toEqual({ app, same: true });
    }
    // Services are told apart on the screen, and none is drawn in the error colour.
    const [web, api, db] = ["web", "api", "db"].map((app) => frame.slice(9, 23).flatMap((l) => l.spans).find((sp) => sp.text === app)!.fg);
    expect([sameColour(web, api), sameColour(web, db), sameColour(api, db), sameColour(web, colours.error)]).toEqual([false, false, false, false]);
  });

  test("a resize re-lays out at once", async () => {
    const { h } = await live(sample(30));
    h.t.resize(60, 15);
    const s = await h.lines();
    expect(s).toHaveLength(15);
    expect(s[8]).toBe("─".repeat(60));
    expect(s.slice(9, 14)).toHaveLength(5);
    expect(s[13]).toBe("2025-01-15T10:00:29Z [db] GET /item/29 200 #29");
    expect(s[14]).toBe(" ".repeat(54) + "FOLLOW");
  });

  test("long lines are cut to the width; control characters never reach the terminal", async () => {
    const { h } = await live([entry(0, "web", "x".repeat(300)), entry(1, "web", "a\nb\tc\u001b[31m")]);
    const s = await h.lines();
    expect(s[9]).toHaveLength(100);
    expect(s[10]).toBe("2025-01-15T10:00:01Z [web] a b c [31m");
  });

  test("only the visible rows are built, even with a full ring", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => entry(i, "web", `line ${i}`));
    const l = await live(many, { ring: 10_000 });
    const s = await l.h.lines();
    expect(s[22]).toEndWith("line 9999");
    expect(l.dash.model.view.visibleRows()).toHaveLength(14);
  });
});

describe("live dashboard keys", () => {
  test("j/k/↑/↓/d/u/G/gg/f", async () => {
    const { h, dash } = await live(sample(100));
    const v = dash.model.view;
    await h.press("k", "ARROW_UP");
    expect(v.offset).toBe(84);
    expect((await h.lines())[23]).not.toContain("FOLLOW");
    await h.press("j", "ARROW_DOWN", "u");
    expect(v.offset).toBe(79);
    await h.press("d");
    expect(v.offset).toBe(86);
    await h.press("g", "g");
    expect(v.offset).toBe(0);
    expect((await h.lines())[9]).toBe("2025-01-15T10:00:00Z [web] error: request failed #0");
    await h.press("G");
    expect(v.offset).toBe(86);
    expect((await h.lines())[23]).toEndWith("FOLLOW");
    await h.press("f");
    expect(v.follow).toBe(false);
    await h.press("f");
    expect(v.follow).toBe(true);
  });

  test("/ highlight with n/N: prompt, badge, current row black on yellow, matches highlighted", async () => {
    const { h } = await live(sample(100));
    await h.press("/");
    await h.type("failed #", false);
    expect((await h.lines())[23]).toEndWith("/failed # FOLLOW");
    await h.press("RETURN");
    let s = await h.lines();
    expect(s[23]).toEndWith("[1/20] /failed #");
    const current = await h.styleOf("2025-01-15T10:00:00Z [web] error: request failed #0");
    expect(sameColour(current?.bg, colours.matchBg)).toBe(true);
    await h.press("n");
    s = await h.lines();
    expect(s[23]).toEndWith("[2/20] /failed #");
    const other = h.t.captureSpans().lines[9]!.spans.find((sp) => sp.text === "failed #");
    expect(sameColour(other?.bg, colours.matchBg)).toBe(true);
    await h.press("N", "N");
    expect((await h.lines())[23]).toEndWith("[20/20] /failed #");
  });

  test("/!re HIDE and /=re GREP stack; [N lines]; Esc unwinds", async () => {
    const { h } = await live(sample(100));
    await h.press("/");
    await h.type("=error");
    await h.press("/");
    await h.type("!#[0-4]5$");
    let s = await h.lines();
    expect(s[23]).toEndWith("GREP: /error HIDE: /#[0-4]5$ [16 lines] FOLLOW");
    expect(s.slice(9, 23).filter((l) => l !== "").every((l) => l.includes("error"))).toBe(true);
    await h.press("ESCAPE");
    s = await h.lines();
    expect(s[23]).toEndWith("GREP: /error [20 lines] FOLLOW");
    await h.press("ESCAPE");
    s = await h.lines();
    expect(s[23]).toEndWith(" FOLLOW");
    expect(s[23]).not.toContain("GREP");
  });

  test("l label filter, Esc in the prompt clears it", async () => {
    const { h, dash } = await live(sample(60));
    await h.press("l");
    expect((await h.lines())[23]).toEndWith("filter:  FOLLOW");
    await h.type("app=db");
    const s = await h.lines();
    expect(s[23]).toEndWith("FILTER: app=db FOLLOW");
    expect(s.slice(9, 23).every((l) => l.includes("[db]"))).toBe(true);
    await h.press("l", "ESCAPE");
    expect(dash.model.view.labelFilter).toBeNull();
    expect((await h.lines())[23]).not.toContain("FILTER");
  });

  test("t time jump", async () => {
    const { h, dash } = await live(sample(100));
    await h.press("t");
    await h.type("10:00:50");
    expect(dash.model.view.offset).toBe(50 - 7);
    expect((await h.lines())[9 + 7]).toStartWith("2025-01-15T10:00:50Z");
  });

  test("m/' bookmarks with messages", async () => {
    const { h, dash } = await live(sample(100));
    await h.press("g", "g", "j", "j", "j", "m");
    expect((await h.lines())[23]).toBe(" ".repeat(97) + "m:_");
    await h.press("b");
    expect((await h.lines())[23]).toEndWith("mark b set");
    await h.press("G", "'", "b");
    expect(dash.model.view.offset).toBe(3);
    await h.press("'", "x");
    expect((await h.lines())[23]).toEndWith("mark x not set");
  });

  test("? help overlay replaces the log pane; other keys are ignored; ? / Esc / q close it", async () => {
    const { h, dash } = await live(sample(100));
    await h.press("?");
    let s = await h.lines();
    expect(s[9]).toBe("Keybindings  (press ? or Esc to close)");
    expect(s.join("\n")).toContain("Navigation");
    expect(s.join("\n")).toContain("/!pattern");
    await h.press("k", "/");
    expect(dash.model.view.follow).toBe(true);
    expect(dash.model.prompt).toBeNull();
    await h.press("q");
    s = await h.lines();
    expect(s[9]).toStartWith("2025-01-15T");
    await h.press("?", "ESCAPE");
    expect(dash.model.help).toBe(false);
  });

  test("q quits, Ctrl+C quits, destroying the renderer (a signal) ends it too", async () => {
    const a = await live(sample(3));
    await a.h.press("q");
    expect(await a.dash.done).toBe("quit");
    const b = await live(sample(3));
    b.h.t.mockInput.pressCtrlC();
    expect(await b.dash.done).toBe("quit");
    const c = await live(sample(3));
    c.h.t.renderer.destroy();
    expect(await c.dash.done).toBe("destroyed");
  });

  test("w exports the filtered view as a readable capture", async () => {
    const dir = mkdtempSync(join(tmpdir(), "logtap-tui-"));
    const l = await live(sample(100));
    const h = l.h;
    await h.press("/");
    await h.type("=error");
    await h.press("w");
    expect((await h.lines())[23]).toContain("w:./filtered-20260305-143205");
    for (let i = 0; i < "./filtered-20260305-143205".length; i++) h.t.mockInput.pressBackspace();
    const target = join(dir, "exported");
    await h.type(target);
    for (let i = 0; i < 100 && !(await h.lines())[23]!.includes("Exported"); i++) await Bun.sleep(20);
    expect((await h.lines())[23]).toContain(`Exported 20 lines to ${target}`);
    const got: Entry[] = [];
    for await (const b of new CaptureReader(target).batches()) got.push(...b.entries);
    expect(got.map((e) => e.msg)).toEqual(sample(100).filter((e) => e.msg.includes("error")).map((e) => e.msg));
    expect(got[0]!.labels).toEqual({ app: "web", env: "dev" });
    const meta = readMetadata(target);
    expect(meta).toMatchObject({ started: "2025-01-15T10:00:00Z", stopped: "2025-01-15T10:01:35Z", total_lines: 20 });
    expect(readFileSync(join(target, "index.jsonl"), "utf8")).toContain('"file":"export-000.jsonl.zst"');
    // A second export to the same place is refused, not merged.
    await h.press("w");
    for (let i = 0; i < "./filtered-20260305-143205".length; i++) h.t.mockInput.pressBackspace();
    await h.type(target);
    for (let i = 0; i < 100 && !(await h.lines())[23]!.includes("Export error"); i++) await Bun.sleep(20);
    // Too long for the bar next to the other badges: shortened, not dropped.
    expect((await h.lines())[23]).toMatch(/^Export error: \/tmp\/.*… GREP: \/error \[20 lines\] FOLLOW$/);
    expect(l.dash.model.exportMessage).toContain("already exists and is not empty");
  });

  test("new entries show in the next refresh while following; a frozen view counts them", async () => {
    const l = await live(sample(20));
    l.ring.push(entry(99, "web", "fresh line"));
    l.dash.render();
    expect((await l.h.lines())[22]).toEndWith("fresh line");
    await l.h.press("k");
    l.ring.pushAll(sample(4));
    l.dash.render();
    expect((await l.h.lines())[23]).toEndWith("+4 new");
  });

  test("terminals with the kitty keyboard protocol send the same keys", async () => {
    const { h, dash } = await live(sample(100), { kitty: true });
    await h.press("g", "g");
    expect(dash.model.view.offset).toBe(0);
    await h.press("G", "/");
    await h.type("=error");
    expect((await h.lines())[23]).toEndWith("GREP: /error [20 lines] FOLLOW");
    await h.press("ESCAPE");
    expect(dash.model.view.stack).toHaveLength(0);
    h.t.mockInput.pressCtrlC();
    expect(await dash.done).toBe("quit");
  });
});
