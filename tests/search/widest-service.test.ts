import { expect, test } from "bun:test";
import { widestService } from "../../src/search/widest-service.ts";
import type { PlannedFile } from "../../src/capture/reader/read-plan.ts";

const file = (lines: number, labels?: Record<string, Record<string, number>>): PlannedFile => ({
  name: `f${lines}.jsonl.zst`,
  index: { file: `f${lines}.jsonl.zst`, from: "2026-01-01T00:00:00Z", to: "2026-01-01T00:01:00Z", lines, bytes: 1, labels },
});

test("every line has app: the longest app value, over all the files", () => {
  expect(widestService([file(3, { app: { api: 2, web: 1 }, pod: { "a-very-long-pod-name": 3 } }), file(2, { app: { checkout: 2 } })])).toBe(8);
});

test("some lines lack app: any label value may name their service, or '-'", () => {
  expect(widestService([file(3, { app: { api: 2 }, pod: { "a-very-long-pod-name": 3 } })])).toBe(20);
  expect(widestService([file(3, { app: { "": 3 } })])).toBe(1);
});

test("an app=v filter names the service, index or not", () => {
  expect(widestService([{ name: "live.jsonl" }], [{ key: "env", value: "prod" }, { key: "app", value: "checkout" }])).toBe(8);
  expect(widestService([file(3, { app: { "a-long-app-name": 3 } })], [{ key: "app", value: "" }])).toBe(1);
});

test("no labels on any line: '-'; a file without an index entry: unknown", () => {
  expect(widestService([file(5)])).toBe(1);
  expect(widestService([file(5), { name: "live.jsonl" }])).toBeNull();
});
