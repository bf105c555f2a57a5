import { describe, expect, test } from "bun:test";
import { parseSize } from "../../src/common/values/size.ts";
import { parseGoDuration } from "../../src/common/values/duration.ts";

describe("size values (upstream §1.7)", () => {
  test.each([
    ["100", 100],
    ["100B", 100],
    ["1kb", 1024],
    ["256MB", 268435456],
    ["2.5GB", 2684354560],
    ["1 GB", 1073741824],
    [" 1TB ", 1024 ** 4],
  ])("%p → %p", (text, bytes) => expect(parseSize(text)).toBe(bytes));
  test.each(["MB", "invalid", "", "1KiB", "1G", "-1MB"])("%p is an error", (text) => expect(() => parseSize(text)).toThrow(`invalid size: "${text}"`));
});

describe("Go durations", () => {
  test.each([
    ["30m", 1_800_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["1.5h", 5_400_000],
    ["-30m", -1_800_000],
    ["0", 0],
    ["2h45m30.5s", 9_930_500],
  ])("%p → %p ms", (text, ms) => expect(parseGoDuration(text)).toBe(ms));
  test.each(["", "5", "1d", "m", "1h-30m"])("%p is an error", (text) => expect(() => parseGoDuration(text)).toThrow("invalid duration"));
});
