import { describe, expect, test } from "bun:test";
import type { Entry } from "../../src/model/entry.ts";
import { RingBuffer } from "../../src/tui/model/ring-buffer.ts";
import { TuiModel, defaultExportPath, type TuiCommand } from "../../src/tui/model/tui-model.ts";
import { key, keyFrom } from "../../src/tui/model/key.ts";
import { sample } from "./tui-fixtures.ts";

const FIXED = new Date(2026, 2, 5, 14, 32, 5);

function modelOf(n = 100, mode: "live" | "replay" = "live", pane = 10): TuiModel {
  const ring = new RingBuffer<Entry>(10_000);
  ring.pushAll(sample(n));
  const m = new TuiModel(ring, { mode, now: () => FIXED });
  m.view.setPaneHeight(pane);
  m.view.refresh();
  return m;
}

/** Types each character, then Enter. */
function type(m: TuiModel, text: string, submit = true): TuiCommand | null {
  for (const c of text) m.handleKey(key(c));
  return submit ? m.handleKey(key("return")) : null;
}

const badges = (m: TuiModel) => m.statusBadges().map((b) => b.text);

describe("keys in normal mode", () => {
  test("q and Ctrl+C quit", () => {
    const m = modelOf();
    expect(m.handleKey(key("q"))).toEqual({ kind: "quit" });
    expect(m.handleKey(key("c", { ctrl: true }))).toEqual({ kind: "quit" });
  });

  test("j/k/↓/↑ move one line, d/u half a pane, follow off", () => {
    const m = modelOf();
    m.handleKey(key("k"));
    expect(m.view.offset).toBe(89);
    expect(m.view.follow).toBe(false);
    m.handleKey(key("up"));
    expect(m.view.offset).toBe(88);
    m.handleKey(key("j"));
    m.handleKey(key("down"));
    expect(m.view.offset).toBe(90);
    m.handleKey(key("u"));
    expect(m.view.offset).toBe(85);
    m.handleKey(key("d"));
    expect(m.view.offset).toBe(90);
  });

  test("gg within 500 ms goes to the top; two slow g presses do not; G goes back and follows", () => {
    const m = modelOf();
    m.handleKey(key("g"), 1000);
    m.handleKey(key("g"), 1600);
    expect(m.view.offset).toBe(90);
    m.handleKey(key("g"), 1900);
    expect(m.view.offset).toBe(0);
    expect(m.view.follow).toBe(false);
    m.handleKey(key("G"));
    expect(m.view.offset).toBe(90);
    expect(m.view.follow).toBe(true);
  });

  test("another key between the two g presses cancels gg", () => {
    const m = modelOf();
    m.handleKey(key("g"), 0);
    m.handleKey(key("k"), 10);
    m.handleKey(key("g"), 20);
    expect(m.view.offset).toBe(89);
  });

  test("f toggles follow and FOLLOW badge", () => {
    const m = modelOf();
    expect(badges(m)).toContain("FOLLOW");
    m.handleKey(key("f"));
    expect(m.view.follow).toBe(false);
    expect(badges(m)).not.toContain("FOLLOW");
    m.handleKey(key("f"));
    expect(m.view.follow).toBe(true);
  });

  test("+N new while scrolled away", () => {
    const m = modelOf();
    m.handleKey(key("k"));
    m.view.ring.pushAll(sample(3));
    expect(badges(m)).toContain("+3 new");
  });
});

describe("search prompt", () => {
  test("`/re` highlights, shows [i/n] and n/N move", () => {
    const m = modelOf();
    m.handleKey(key("/"));
    expect(m.prompt?.kind).toBe("search");
    type(m, "err", false);
    expect(badges(m)).toContain("/err");
    m.handleKey(key("return"));
    expect(m.prompt).toBeNull();
    expect(badges(m)).toContain("[1/20] /err");
    m.handleKey(key("n"));
    expect(badges(m)).toContain("[2/20] /err");
    m.handleKey(key("N"));
    m.handleKey(key("N"));
    expect(badges(m)).toContain("[20/20] /err");
  });

  test("`/!re` pushes HIDE, `/=re` pushes GREP; badges and line count; Esc unwinds highlight first then filters", () => {
    const m = modelOf(30, "live", 100);
    m.handleKey(key("/"));
    type(m, "=error");
    m.handleKey(key("/"));
    type(m, "!#0");
    m.handleKey(key("/"));
    type(m, "#2");
    // A highlight with matches jumps to the first one: follow is off from there on.
    expect(badges(m)).toEqual(["GREP: /error", "HIDE: /#0", "[5 lines]", "[1/2] /#2"]);
    m.handleKey(key("escape"));
    expect(badges(m)).toEqual(["GREP: /error", "HIDE: /#0", "[5 lines]"]);
    m.handleKey(key("escape"));
    expect(badges(m)).toEqual(["GREP: /error", "[6 lines]"]);
    m.handleKey(key("escape"));
    expect(badges(m)).toEqual([]);
    expect(m.view.length).toBe(30);
    m.handleKey(key("escape"));
    expect(m.view.length).toBe(30);
  });

  test("an invalid regex is silently ignored", () => {
    const m = modelOf();
    m.handleKey(key("/"));
    type(m, "=(");
    m.handleKey(key("/"));
    type(m, "[z-a]");
    expect(m.view.stack).toHaveLength(0);
    expect(m.view.highlight).toBeNull();
  });

  test("Backspace deletes, Esc cancels without effect", () => {
    const m = modelOf();
    m.handleKey(key("/"));
    type(m, "errx", false);
    m.handleKey(key("backspace"));
    expect(m.prompt?.input).toBe("err");
    m.handleKey(key("escape"));
    expect(m.prompt).toBeNull();
    expect(m.view.highlight).toBeNull();
  });

  test("keys type into the prompt instead of acting (q does not quit)", () => {
    const m = modelOf();
    m.handleKey(key("/"));
    expect(m.handleKey(key("q"))).toBeNull();
    m.handleKey(key("G"));
    m.handleKey(key(" "));
    expect(m.prompt?.input).toBe("qG ");
  });
});

describe("label prompt", () => {
  test("sets FILTER: key=value, empty clears, unusable input changes nothing, Esc clears", () => {
    const m = modelOf(30, "live", 100);
    m.handleKey(key("l"));
    expect(badges(m)[0]).toBe("filter: ");
    type(m, "app=api");
    expect(badges(m)).toContain("FILTER: app=api");
    expect(m.view.length).toBe(10);
    m.handleKey(key("l"));
    type(m, "nonsense");
    expect(m.view.labelFilter).toEqual({ key: "app", value: "api" });
    m.handleKey(key("l"));
    type(m, "");
    expect(m.view.labelFilter).toBeNull();
    m.handleKey(key("l"));
    type(m, "app=db");
    m.handleKey(key("l"));
    m.handleKey(key("escape"));
    expect(m.view.labelFilter).toBeNull();
    expect(m.view.length).toBe(30);
  });
});

describe("time jump", () => {
  test("t then HH:MM:SS centres the first line at that time", () => {
    const m = modelOf(100, "live", 10);
    m.handleKey(key("t"));
    type(m, "10:00:4", false);
    expect(badges(m)).toContain("t:10:00:4");
    m.handleKey(key("return"));
    expect(m.view.offset).toBe(40 - 5);
    expect(m.view.follow).toBe(false);
  });
});

describe("bookmarks", () => {
  test("m+letter sets, '+letter jumps, unknown says so, other keys close the prompt", () => {
    const m = modelOf(100, "live", 10);
    m.handleKey(key("g"), 0);
    m.handleKey(key("g"), 1);
    m.handleKey(key("j"));
    m.handleKey(key("j"));
    m.handleKey(key("m"));
    expect(badges(m)[0]).toBe("m:_");
    m.handleKey(key("a"));
    expect(badges(m)[0]).toBe("mark a set");
    m.handleKey(key("G"));
    m.handleKey(key("'"));
    expect(badges(m)[0]).toBe("':_");
    m.handleKey(key("a"));
    expect(m.view.offset).toBe(2);
    expect(m.view.follow).toBe(false);
    m.handleKey(key("'"));
    m.handleKey(key("z"));
    expect(badges(m)[0]).toBe("mark z not set");
    m.handleKey(key("'"));
    m.handleKey(key("1"));
    expect(m.prompt).toBeNull();
    m.handleKey(key("m"));
    m.handleKey(key("escape"));
    expect(m.prompt).toBeNull();
    expect(m.view.bookmarks.size).toBe(1);
  });
});

describe("export prompt", () => {
  test("pre-filled with ./filtered-YYYYMMDD-HHMMSS; submit returns the filtered lines", () => {
    const m = modelOf(30, "live", 100);
    m.handleKey(key("/"));
    type(m, "=error");
    m.handleKey(key("w"));
    expect(m.prompt).toEqual({ kind: "export", input: "./filtered-20260305-143205" });
    expect(badges(m)[0]).toBe("w:./filtered-20260305-143205");
    for (let i = 0; i < "20260305-143205".length; i++) m.handleKey(key("backspace"));
    type(m, "x", false);
    const cmd = m.handleKey(key("return"));
    expect(cmd?.kind).toBe("export");
    if (cmd?.kind !== "export") throw new Error();
    expect(cmd.path).toBe("./filtered-x");
    expect(cmd.entries).toHaveLength(6);
    m.setExportMessage("Exported 6 lines to ./filtered-x");
    expect(badges(m)[0]).toBe("Exported 6 lines to ./filtered-x");
  });

  test("nothing visible: an error message, no command", () => {
    const m = modelOf(30, "live", 100);
    m.handleKey(key("/"));
    type(m, "=nomatchatall");
    m.handleKey(key("w"));
    expect(m.handleKey(key("return"))).toBeNull();
    expect(m.statusBadges()[0]).toEqual({ text: "Export error: no lines to export", tone: "error" });
  });

  test("default path format", () => {
    expect(defaultExportPath(new Date(2025, 0, 2, 3, 4, 5))).toBe("./filtered-20250102-030405");
  });
});

describe("help overlay", () => {
  test("? opens; ?, Esc and q close; other keys are ignored while open", () => {
    const m = modelOf();
    for (const closer of ["?", "escape", "q"]) {
      m.handleKey(key("?"));
      expect(m.help).toBe(true);
      m.handleKey(key("k"));
      m.handleKey(key("/"));
      expect(m.prompt).toBeNull();
      expect(m.view.follow).toBe(true);
      expect(m.handleKey(key(closer))).toBeNull();
      expect(m.help).toBe(false);
    }
  });
});

describe("replay keys", () => {
  test("Space, [ and ] are commands in replay mode only", () => {
    const r = modelOf(10, "replay");
    expect(r.handleKey(key(" "))).toEqual({ kind: "toggle-pause" });
    expect(r.handleKey(key("]"))).toEqual({ kind: "faster" });
    expect(r.handleKey(key("["))).toEqual({ kind: "slower" });
    const l = modelOf(10, "live");
    expect(l.handleKey(key(" "))).toBeNull();
    expect(l.handleKey(key("]"))).toBeNull();
  });

  test("lead badges (speed) come first", () => {
    const r = modelOf(10, "replay");
    expect(r.statusBadges([{ text: "2x", tone: "playback" }]).map((b) => b.text)).toEqual(["2x", "FOLLOW"]);
  });
});

describe("keyFrom", () => {
  test("printable characters, named keys, ctrl", () => {
    expect(keyFrom({ name: "g", sequence: "G", shift: true } as never)).toEqual({ name: "g", char: "G", ctrl: false });
    expect(keyFrom({ name: "space", sequence: " " })).toEqual({ name: "space", char: " ", ctrl: false });
    expect(keyFrom({ name: "escape", sequence: "\u001b" })).toEqual({ name: "escape", char: null, ctrl: false });
    expect(keyFrom({ name: "c", sequence: "\u0003", ctrl: true })).toEqual({ name: "c", char: null, ctrl: true });
    expect(keyFrom({ name: "é", sequence: "é" }).char).toBe("é");
    expect(keyFrom({ name: "up", sequence: "\u001b[A" }).char).toBeNull();
  });
});
