import { describe, expect, test } from "bun:test";
import { asciiLower } from "../../src/capture/reader/ascii-lower.ts";

describe("asciiLower", () => {
  test("lowers exactly A–Z, every other byte unchanged, at every alignment and length", () => {
    const all = new Uint8Array(4 * 256 + 7);
    for (let i = 0; i < all.length; i++) all[i] = (i * 73 + (i >> 8)) & 0xff;
    for (let start = 0; start < 4; start++)
      for (const len of [0, 1, 5, 256, all.length - start]) {
        const input = all.subarray(start, start + len);
        const want = Buffer.from(input.map((c) => (c >= 65 && c <= 90 ? c + 32 : c)));
        expect(asciiLower(input).equals(want)).toBe(true);
      }
  });
});
