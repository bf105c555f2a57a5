import { expect, test } from "bun:test";
import { LaterLinesBound } from "../../src/capture/reader/later-lines-bound.ts";
import { EntryFilter } from "../../src/capture/filters/entry-filter.ts";
import { parseRfc3339 } from "../../src/capture/timestamp.ts";
import type { PlannedFile } from "../../src/capture/reader/read-plan.ts";

const frame = (offset: number, from: string) => ({ offset, length: 10, lines: 1, from, to: from });
const t = (s: string) => parseRfc3339(s);

// Frames overlap: a later frame may start before an earlier one (lines received late).
const files: PlannedFile[] = [
  { name: "a", index: { file: "a", from: "2026-01-01T00:00:00Z", to: "x", lines: 3, bytes: 1, frames: [frame(0, "2026-01-01T00:00:00Z"), frame(10, "2026-01-01T00:00:30Z"), frame(20, "2026-01-01T00:00:20.5Z")] } },
  { name: "b", index: { file: "b", from: "2026-01-01T00:00:25Z", to: "x", lines: 1, bytes: 1 } },
  { name: "c", index: { file: "c", from: "2026-01-01T00:01:00Z", to: "x", lines: 1, bytes: 1, frames: [frame(0, "2026-01-01T00:01:00Z")] } },
];

test("after each unit: the earliest first line of the frames and files after it", () => {
  const bound = new LaterLinesBound(files, new EntryFilter());
  expect(bound.after("a", 0)).toEqual(t("2026-01-01T00:00:20.5Z"));
  expect(bound.after("a", 10)).toEqual(t("2026-01-01T00:00:20.5Z"));
  expect(bound.after("a", 20)).toEqual(t("2026-01-01T00:00:25Z"));
  // A file without frame records: any of its units may hold its earliest line.
  expect(bound.after("b", 123)).toEqual(t("2026-01-01T00:00:25Z"));
  expect(bound.after("c", 0)).toEqual({ sec: Infinity, nsec: 0 });
});

test("unknown while a later file has no index entry", () => {
  const bound = new LaterLinesBound([...files.slice(0, 2), { name: "live.jsonl" }, files[2]!], new EntryFilter());
  expect(bound.after("a", 20)).toBeNull();
  expect(bound.after("b", 0)).toBeNull();
  expect(bound.after("c", 0)).toEqual({ sec: Infinity, nsec: 0 });
});
