import { describe, expect, test } from "bun:test";
import { LiteralScanner, MAX_LITERALS } from "../../src/scan/literal-scanner.ts";

/** Every start of a literal, the slow and obvious way: what the scanner must return. */
function reference(input: Uint8Array, literals: readonly string[], fold: boolean): number[] {
  const text = Buffer.from(input).toString("latin1");
  const hay = fold ? text.replace(/[A-Z]/g, (c) => c.toLowerCase()) : text;
  const needles = literals.map((l) => (fold ? l.replace(/[A-Z]/g, (c) => c.toLowerCase()) : l));
  const starts: number[] = [];
  for (let p = 0; p < hay.length; p++) if (needles.some((n) => hay.startsWith(n, p))) starts.push(p);
  return starts;
}

// A deterministic generator, so a failure reproduces.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const ALPHABET = "eErRoOxX5 0_-@`\n\"a\x00\xff\xc4";

function randomBytes(next: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = ALPHABET.charCodeAt(Math.floor(next() * ALPHABET.length)) & 0xff;
  return out;
}

function randomLiteral(next: () => number): string {
  const chars = "eErRoOxX5 0_-@`";
  let s = "";
  const length = 1 + Math.floor(next() * 5);
  for (let i = 0; i < length; i++) s += chars[Math.floor(next() * chars.length)];
  return s;
}

describe("LiteralScanner", () => {
  test("finds the error keywords as a case-insensitive regex does, in a real capture line layout", () => {
    const keywords = ["error", "timeout", "deadline exceeded", "x509"];
    const text =
      '{"ts":"2026-01-01T00:00:00Z","msg":"ERROR: upstream Timeout after 5s (deadline exceeded), x509 ok"}\n' +
      '{"ts":"2026-01-01T00:00:01Z","msg":"no problem here; eRRoR at the very end: error"}';
    const input = Buffer.from(text, "latin1");
    const found = [...new LiteralScanner(keywords, true).scan(input)];
    const re = new RegExp(keywords.join("|"), "gi");
    expect(found).toEqual([...text.matchAll(re)].map((m) => m.index));
    expect(found.length).toBe(6);
  });

  test("matches exactly without fold", () => {
    const input = Buffer.from("Error error ERROR error", "latin1");
    expect([...new LiteralScanner(["error"], false).scan(input)]).toEqual([6, 18]);
  });

  test("agrees with the reference on random bytes, literals, lengths and both modes", () => {
    const next = rng(20261202);
    for (let round = 0; round < 300; round++) {
      const fold = round % 2 === 0;
      const literals = Array.from({ length: 1 + Math.floor(next() * 12) }, () => randomLiteral(next));
      // Lengths around the 16-byte blocks and the fingerprint's three bytes.
      const input = randomBytes(next, Math.floor(next() * 70));
      const scanner = new LiteralScanner(literals, fold);
      expect({ literals, fold, found: [...scanner.scan(input)] }).toEqual({ literals, fold, found: reference(input, literals, fold) });
    }
  });

  test("reuses one scanner across inputs of growing size (memory grows, results stay right)", () => {
    const next = rng(7);
    const scanner = new LiteralScanner(["eRr", "x5", "-"], true);
    for (const length of [10, 1 << 20, 3 << 20, 100]) {
      const input = randomBytes(next, length);
      const found = scanner.scan(input);
      expect(found.length).toBe(reference(input, ["eRr", "x5", "-"], true).length);
    }
  });

  test("finds an occurrence that ends at the last byte, and none in the padding", () => {
    const scanner = new LiteralScanner(["ab"], false);
    expect([...scanner.scan(Buffer.from("xxab"))]).toEqual([2]);
    expect([...scanner.scan(Buffer.from("xxa"))]).toEqual([]);
    expect([...scanner.scan(new Uint8Array(0))]).toEqual([]);
  });

  test("sixty-four literals share the eight buckets", () => {
    const literals = Array.from({ length: MAX_LITERALS }, (_, k) => `k${k}z`);
    const text = literals.join(" ");
    const found = new LiteralScanner(literals, false).scan(Buffer.from(text));
    expect(found.length).toBe(MAX_LITERALS);
  });

  test("refuses what it cannot search for", () => {
    expect(() => new LiteralScanner([], false)).toThrow(RangeError);
    expect(() => new LiteralScanner([""], false)).toThrow(RangeError);
    expect(() => new LiteralScanner(["é"], false)).toThrow(RangeError);
    expect(() => new LiteralScanner(Array.from({ length: MAX_LITERALS + 1 }, (_, k) => `x${k}`), false)).toThrow(RangeError);
  });
});
