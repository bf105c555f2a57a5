import { describe, expect, test } from "bun:test";
import type { Entry } from "../../src/model/entry.ts";
import { RingBuffer } from "../../src/tui/model/ring-buffer.ts";
import { LogView } from "../../src/tui/model/log-view.ts";
import { EntryMatcher, applyFilters, parseLabelInput } from "../../src/tui/model/line-filters.ts";
import { entry, sample } from "./tui-fixtures.ts";

function viewOf(entries: Entry[], pane = 10, capacity = 10_000): LogView {
  const ring = new RingBuffer<Entry>(capacity);
  ring.pushAll(entries);
  const v = new LogView(ring);
  v.setPaneHeight(pane);
  v.refresh();
  return v;
}

const m = (re: string) => EntryMatcher.compile(re)!;
const msgs = (v: LogView) => v.visibleRows().map((r) => r.entry.msg);

describe("LogView", () => {
  test("follows the newest entries and shows exactly one pane of rows", () => {
    const v = viewOf(sample(100), 10);
    expect(v.follow).toBe(true);
    expect(v.offset).toBe(90);
    expect(v.visibleRows().map((r) => r.index)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    v.ring.push(entry(100, "web", "new line"));
    expect(msgs(v).at(-1)).toBe("new line");
    expect(v.offset).toBe(91);
  });

  test("scrolling turns follow off and freezes the list; new entries are counted, G follows again", () => {
    const v = viewOf(sample(100), 10);
    v.scroll(-1);
    expect(v.follow).toBe(false);
    expect(v.offset).toBe(89);
    const before = msgs(v);
    v.ring.pushAll(sample(5).map((e) => ({ ...e, msg: "later" })));
    expect(msgs(v)).toEqual(before);
    expect(v.unseen).toBe(5);
    v.bottom();
    expect(v.follow).toBe(true);
    expect(v.unseen).toBe(0);
    expect(msgs(v).at(-1)).toBe("later");
  });

  test("scroll limits, half pages, top", () => {
    const v = viewOf(sample(100), 10);
    v.halfPage(-1);
    expect(v.offset).toBe(85);
    v.halfPage(1);
    v.halfPage(1);
    expect(v.offset).toBe(90);
    v.top();
    expect(v.offset).toBe(0);
    v.scroll(-5);
    expect(v.offset).toBe(0);
    v.scroll(1000);
    expect(v.offset).toBe(90);
  });

  test("toggle follow: off keeps the place, on jumps to the bottom", () => {
    const v = viewOf(sample(50), 10);
    v.top();
    v.toggleFollow();
    expect(v.follow).toBe(true);
    expect(v.offset).toBe(40);
    v.toggleFollow();
    expect(v.follow).toBe(false);
    expect(v.offset).toBe(40);
  });

  test("fewer entries than the pane: offset 0", () => {
    const v = viewOf(sample(3), 10);
    expect(v.offset).toBe(0);
    expect(v.visibleRows()).toHaveLength(3);
  });

  test("HIDE and GREP filters stack in push order and unwind newest first", () => {
    const v = viewOf(sample(30), 100);
    v.pushFilter({ kind: "grep", matcher: m("error") });
    expect(v.length).toBe(6);
    v.pushFilter({ kind: "hide", matcher: m("#(0|5)$") });
    expect(msgs(v)).toEqual(["error: request failed #10", "error: request failed #15", "error: request failed #20", "error: request failed #25"]);
    v.popFilter();
    expect(v.length).toBe(6);
    v.popFilter();
    expect(v.length).toBe(30);
    expect(v.popFilter()).toBeUndefined();
  });

  test("a filter regex also matches label values", () => {
    const v = viewOf(sample(9), 100);
    v.pushFilter({ kind: "grep", matcher: m("^db$") });
    expect(v.rows.every((e) => e.labels.app === "db")).toBe(true);
    expect(v.length).toBe(3);
    v.popFilter();
    v.pushFilter({ kind: "hide", matcher: m("prod") });
    expect(v.rows.every((e) => e.labels.env === "dev")).toBe(true);
  });

  test("pushing a filter scrolls to the top when not following, to the bottom when following", () => {
    const v = viewOf(sample(100), 10);
    v.pushFilter({ kind: "hide", matcher: m("#1$") });
    expect(v.follow).toBe(true);
    expect(v.offset).toBe(v.length - 10);
    v.scroll(-20);
    v.pushFilter({ kind: "hide", matcher: m("#2$") });
    expect(v.offset).toBe(0);
  });

  test("label filter applies before the stack; exact key=value", () => {
    const v = viewOf(sample(30), 100);
    v.setLabelFilter({ key: "app", value: "api" });
    expect(v.length).toBe(10);
    v.pushFilter({ kind: "grep", matcher: m("error") });
    expect(msgs(v)).toEqual(["error: request failed #10", "error: request failed #25"]);
    v.setLabelFilter(null);
    expect(v.length).toBe(6);
  });

  test("highlight: matches, jump to the first, n/N wrap and centre", () => {
    const v = viewOf(sample(100), 10);
    v.setHighlight(m("error"));
    expect(v.matches).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95]);
    expect(v.follow).toBe(false);
    expect(v.currentMatch).toBe(0);
    expect(v.offset).toBe(0);
    v.nextMatch(1);
    v.nextMatch(1);
    v.nextMatch(1);
    expect(v.currentMatch).toBe(15);
    expect(v.offset).toBe(10);
    v.nextMatch(-1);
    expect(v.currentMatch).toBe(10);
    expect(v.offset).toBe(5);
    for (let i = 0; i < 3; i++) v.nextMatch(-1);
    expect(v.currentMatch).toBe(95);
    expect(v.offset).toBe(90);
    v.nextMatch(1);
    expect(v.currentMatch).toBe(0);
    v.clearHighlight();
    expect(v.highlight).toBeNull();
    expect(v.matches).toEqual([]);
  });

  test("highlight is recomputed on the filtered list, replaced (not stacked)", () => {
    const v = viewOf(sample(20), 100);
    v.pushFilter({ kind: "grep", matcher: m("error") });
    v.setHighlight(m("#1"));
    expect(v.matches).toEqual([2, 3]);
    v.setHighlight(m("#"));
    expect(v.matches).toHaveLength(4);
  });

  test("a highlight with no match keeps following", () => {
    const v = viewOf(sample(20), 5);
    v.setHighlight(m("nothing-like-this"));
    expect(v.follow).toBe(true);
    expect(v.matchPos).toBe(-1);
    v.nextMatch(1);
    expect(v.follow).toBe(true);
  });

  test("time jump: first line whose display time contains the input, centred", () => {
    const v = viewOf(sample(200), 10);
    expect(v.jumpToTime(" 10:01:40 ")).toBe(true);
    expect(v.follow).toBe(false);
    expect(v.offset).toBe(100 - 5);
    expect(v.jumpToTime("2025-01-15T10:02")).toBe(true);
    expect(v.offset).toBe(120 - 5);
    const at = v.offset;
    expect(v.jumpToTime("11:59")).toBe(false);
    expect(v.offset).toBe(at);
    expect(v.jumpToTime("")).toBe(false);
  });

  test("bookmarks remember the offset; unknown marks do nothing", () => {
    const v = viewOf(sample(100), 10);
    v.top();
    v.scroll(7);
    v.setMark("a");
    v.bottom();
    expect(v.jumpToMark("a")).toBe(true);
    expect(v.offset).toBe(7);
    expect(v.follow).toBe(false);
    expect(v.jumpToMark("b")).toBe(false);
  });

  test("pane height changes keep following at the bottom and clamp otherwise", () => {
    const v = viewOf(sample(100), 10);
    v.setPaneHeight(20);
    expect(v.offset).toBe(80);
    v.top();
    v.scroll(95);
    expect(v.offset).toBe(80);
    v.setPaneHeight(5);
    expect(v.offset).toBe(80);
    v.setPaneHeight(50);
    expect(v.offset).toBe(50);
  });

  test("filters are recomputed only when the ring or a filter changed", () => {
    const v = viewOf(sample(50), 10);
    expect(v.refresh()).toBe(false);
    const rows = v.rows;
    v.visibleRows();
    expect(v.rows).toBe(rows);
    v.ring.push(entry(1, "web", "x"));
    expect(v.refresh()).toBe(true);
    expect(v.refresh()).toBe(false);
  });
});

describe("line filters", () => {
  test("label prompt input", () => {
    expect(parseLabelInput("")).toBeNull();
    expect(parseLabelInput("app=web")).toEqual({ key: "app", value: "web" });
    expect(parseLabelInput("k=a=b")).toEqual({ key: "k", value: "a=b" });
    expect(parseLabelInput("app=")).toEqual({ key: "app", value: "" });
    expect(parseLabelInput("=web")).toBe("unusable");
    expect(parseLabelInput("web")).toBe("unusable");
  });

  test("invalid RE2 patterns are refused", () => {
    expect(EntryMatcher.compile("(")).toBeNull();
    expect(EntryMatcher.compile("a(?=b)")).toBeNull();
    expect(EntryMatcher.compile("(?i)ERROR")!.test(entry(0, "x", "an error"))).toBe(true);
  });

  test("no filter returns the same array", () => {
    const es = sample(3);
    expect(applyFilters(es, null, [])).toBe(es);
  });
});
