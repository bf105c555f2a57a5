import { describe, expect, test } from "bun:test";
import { statusChunks } from "../../src/tui/view/status-bar.ts";
import { logRow } from "../../src/tui/view/log-rows.ts";
import { helpLines } from "../../src/tui/view/help.ts";
import { colours, serviceColour, severityOf } from "../../src/tui/view/theme.ts";
import { join } from "node:path";
import { RGBA } from "@opentui/core";
import { sameColour } from "./tui-harness.ts";
import { entry } from "./tui-fixtures.ts";

const text = (cs: { text: string }[]) => cs.map((c) => c.text).join("");

describe("status bar", () => {
  test("right-aligned, badges separated by a space", () => {
    expect(text(statusChunks([{ text: "GREP: /x", tone: "filter" }, { text: "FOLLOW", tone: "follow" }], 20))).toBe("     GREP: /x FOLLOW");
  });
  test("too wide: the leftmost badge is shortened, then dropped", () => {
    const b = [{ text: "Exported 1234 lines to ./somewhere/far", tone: "message" as const }, { text: "FOLLOW", tone: "follow" as const }];
    expect(text(statusChunks(b, 25))).toBe("Exported 1234 lin… FOLLOW");
    expect(text(statusChunks(b, 12))).toBe("      FOLLOW");
    expect(text(statusChunks([{ text: "abcdefghij", tone: "message" }], 5))).toBe("abcd…");
  });
});

describe("log rows", () => {
  test("the display line, cut to the width; the service in its colour", () => {
    const cs = logRow(entry(0, "web", "hello world"), { width: 35, highlight: null, current: false });
    expect(text(cs)).toBe("2025-01-15T10:00:00Z [web] hello wo");
    expect(sameColour(cs.find((c) => c.text === "web")?.fg, serviceColour("web"))).toBe(true);
  });
  test("error and warning lines are coloured", () => {
    expect(severityOf("ERROR: disk full")).toBe("error");
    expect(severityOf("panic: nil map")).toBe("error");
    expect(severityOf("request failed")).toBe("error");
    expect(severityOf("level=warn slow query")).toBe("warn");
    expect(severityOf("terror-free")).toBeNull();
    const cs = logRow(entry(0, "web", "error: boom"), { width: 100, highlight: null, current: false });
    expect(sameColour(cs.at(-1)?.fg, colours.error)).toBe(true);
  });
  test("matches black on yellow; the current match's whole row", () => {
    const cs = logRow(entry(0, "web", "a foo b foo"), { width: 100, highlight: /foo/g, current: false });
    const marked = cs.filter((c) => sameColour(c.bg, colours.matchBg)).map((c) => c.text);
    expect(marked).toEqual(["foo", "foo"]);
    const cur = logRow(entry(0, "web", "a foo"), { width: 100, highlight: /foo/g, current: true });
    expect(cur).toHaveLength(1);
    expect(sameColour(cur[0]!.bg, colours.matchBg)).toBe(true);
  });
  test("zero-length matches do not loop", () => {
    expect(text(logRow(entry(0, "web", "abc"), { width: 100, highlight: /x*/g, current: false }))).toEndWith("abc");
  });
  test("service colours: the same in every run, 256-colour palette entries that avoid the error/warn/match colours, spread so services differ", () => {
    const names = ["web", "api", "db", "checkout", "payments", "auth", "cart", "frontend", "gateway", "search"];
    const here = names.map((n) => Array.from(serviceColour(n).buffer));
    // A fresh process (nothing cached) gives every name the same colour.
    const theme = join(import.meta.dir, "..", "..", "src", "tui", "view", "theme.ts");
    const script = `import { serviceColour } from ${JSON.stringify(theme)}; console.log(JSON.stringify(${JSON.stringify(names)}.map((n) => Array.from(serviceColour(n).buffer))));`;
    const fresh = Bun.spawnSync([process.execPath, "-e", script]);
    expect(fresh.exitCode).toBe(0);
    expect(JSON.parse(fresh.stdout.toString())).toEqual(here);

    const paletteIndex = (c: RGBA) => Array.from({ length: 256 }, (_, i) => i).find((i) => sameColour(c, RGBA.fromIndex(i)));
    const reserved = [colours.error, colours.warn, colours.matchBg, colours.dropped];
    const many = Array.from({ length: 1200 }, (_, i) => `svc-${i}`);
    const counts = new Map<number, number>();
    for (const n of [...names, ...many]) {
      const c = serviceColour(n);
      const i = paletteIndex(c);
      expect({ n, inPalette: i !== undefined, reserved: reserved.some((r) => sameColour(c, r)) }).toEqual({ n, inPalette: true, reserved: false });
      if (n.startsWith("svc-")) counts.set(i!, (counts.get(i!) ?? 0) + 1);
    }
    // The services the dashboards show together (tui-fixtures' web, api, db) are told apart …
    const [web, api, db] = names.slice(0, 3).map(serviceColour);
    expect([sameColour(web, api), sameColour(web, db), sameColour(api, db)]).toEqual([false, false, false]);
    // … and many names spread over a whole palette of colours, none taking much more than its share.
    expect(counts.size).toBeGreaterThanOrEqual(8);
    expect(Math.max(...counts.values())).toBeLessThan((2 * many.length) / counts.size);
  });
});

describe("help", () => {
  test("the replay adds a Playback section; a short pane gets two columns", () => {
    expect(helpLines("live").join("\n")).not.toContain("Playback");
    expect(helpLines("replay").join("\n")).toContain("Playback");
    const short = helpLines("replay", 120, 17);
    expect(short.length).toBeLessThanOrEqual(17);
    expect(short.join("\n")).toContain("Playback");
    expect(short.join("\n")).toContain("Navigation");
  });
});

describe("stderr while a TUI is open", () => {
  test("is held and written out, in order, when released", async () => {
    const { holdStderr } = await import("../../src/tui/terminal.ts");
    const original = process.stderr.write;
    const seen: string[] = [];
    process.stderr.write = ((c: string) => (seen.push(String(c)), true)) as typeof process.stderr.write;
    try {
      const release = holdStderr();
      process.stderr.write("warning: one\n");
      process.stderr.write(new TextEncoder().encode("warning: two\n"));
      expect(seen).toEqual([]);
      release();
      expect(seen.join("")).toBe("warning: one\nwarning: two\n");
      process.stderr.write("after\n");
      expect(seen.at(-1)).toBe("after\n");
    } finally {
      process.stderr.write = original;
    }
  });
});

describe("latency probe", () => {
  test("off without a file; with one, every key gets the next frame (skipping one already being drawn)", async () => {
    const { LatencyProbe } = await import("../../src/tui/latency-probe.ts");
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const off = new LatencyProbe(null);
    off.keyHandled("j");
    off.frameDone();
    expect(off.samples).toHaveLength(0);

    const file = join(mkdtempSync(join(tmpdir(), "logtap-probe-")), "lat.jsonl");
    const p = new LatencyProbe(file);
    p.keyHandled("j");
    p.keyHandled("k", true);
    p.frameDone();
    expect(p.samples.map((s) => s.key)).toEqual(["j"]);
    p.frameDone();
    expect(p.samples.map((s) => s.key)).toEqual(["j", "k"]);
    await Bun.sleep(1050);
    p.flush();
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.filter((l) => "keyToFrameMs" in l)).toHaveLength(2);
    expect(lines.some((l) => typeof l.loopLagMs === "number")).toBe(true);
  });
});
