import { describe, expect, test } from "bun:test";
import { CALLER_READS, FrameScanner, HIGH_TO_CALLER, HTML_UNSURE, MAX_LITERAL, MAX_LITERALS } from "../../src/scan/frame-scanner.ts";
import { candidateLineRanges } from "../../src/capture/reader/candidate-lines.ts";
import { asciiLower } from "../../src/capture/reader/ascii-lower.ts";
import { scanMessage, type Partners } from "../../src/capture/reader/stored-line-judge.ts";
import { mulberry32 } from "../../scripts/bench/shared/prng.ts";

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;

/**
 * Random frames of `pieces` and random literal sets: the scanner's lines must be memmem's (candidate-lines.ts) over
 * the frame, or with `fold` over its ASCII-lowered copy. Returns how many lines were found in all.
 */
function agreesWithMemmem(seed: number, pieces: readonly string[], literalsOf: (r: () => number) => string[], fold: boolean): number {
  const r = mulberry32(seed);
  const scanner = new FrameScanner();
  let lines = 0;
  for (let round = 0; round < 2000; round++) {
    let text = "";
    for (let k = Math.floor(r() * 400); k > 0; k--) text += pick(r, pieces);
    const literals = literalsOf(r);
    const frame = Buffer.from(text, "latin1");
    scanner.load(frame);
    const got = [...scanner.candidateLines(literals.map((l) => Buffer.from(l)), fold)];
    const want = candidateLineRanges(fold ? asciiLower(frame) : frame, literals.map((l) => Buffer.from(l)));
    expect({ text, literals, got }).toEqual({ text, literals, got: want });
    lines += got.length / 2;
  }
  return lines;
}

const randomLiteral = (r: () => number, letters: readonly string[], longest: number) => {
  let literal = "";
  for (let k = 1 + Math.floor(r() * longest); k > 0; k--) literal += pick(r, letters);
  return literal;
};

describe("frame scanner: candidate lines", () => {
  test("the same lines as the memmem search, on random frames and literals of every length", () => {
    const pieces = ["ab", "a", "b", "c", "\n", "\n\n", "abcab", " ", "xyz", "cab"];
    const one = (r: () => number) => [randomLiteral(r, ["a", "b", "c"], r() < 0.9 ? 5 : MAX_LITERAL)];
    expect(agreesWithMemmem(7, pieces, one, false)).toBeGreaterThan(10_000);
  });

  test("several literals at once: the same lines as memmem for each, merged", () => {
    const pieces = ["ab", "a", "b", "c", "\n", "abcab", " ", "xyz", "cab", "ba"];
    const several = (r: () => number) => Array.from({ length: 1 + Math.floor(r() * MAX_LITERALS) }, () => randomLiteral(r, ["a", "b", "c", "x"], 6));
    expect(agreesWithMemmem(8, pieces, several, false)).toBeGreaterThan(5000);
  });

  test("case-insensitive: the same lines as the memmem search of an ASCII-lowered copy", () => {
    const pieces = ["aB", "A", "b", "C", "\n", "AbCaB", " ", "[", "{", "@", "`", "cab", "\xc1"];
    const one = (r: () => number) => [randomLiteral(r, ["a", "b", "c", "{"], 5)];
    expect(agreesWithMemmem(9, pieces, one, true)).toBeGreaterThan(3000);
  });

  test("a frame written into its memory is read in place, and a later copy replaces it", () => {
    const scanner = new FrameScanner();
    const text = "x timeout\nnothing\nthe timeout again\n";
    const target = scanner.frameTarget(text.length);
    target.set(Buffer.from(text));
    scanner.load(target);
    expect([...scanner.candidateLines([Buffer.from("timeout")], false)]).toEqual([0, 9, 18, 35]);
    const other = Buffer.from("timeout");
    scanner.load(other);
    expect(scanner.holds(other)).toBe(true);
    expect([...scanner.candidateLines([Buffer.from("timeout")], false)]).toEqual([0, 7]);
  });
});

describe("frame scanner: closing quotes", () => {
  const NONE: Partners = { utf8: [], codes: [] };
  const PARTNER: Partners = { utf8: [Buffer.from("\u212a")], codes: [0x212a] };

  /** Wherever the SIMD scan answers, its answer is the JS scan's; it may leave a string to the JS scan. */
  function agrees(scanner: FrameScanner, buf: Buffer, from: number, end: number): number[] {
    const answers: number[] = [];
    for (const [output, partners] of [[false, NONE], [true, NONE], [false, PARTNER], [true, PARTNER]] as const) {
      const flags = (output ? HTML_UNSURE | HIGH_TO_CALLER : 0) | (partners.codes.length > 0 ? HIGH_TO_CALLER : 0);
      const simd = scanner.closingQuote(from, end, flags);
      if (simd !== CALLER_READS) expect({ s: buf.toString("latin1", from, end), output, simd }).toEqual({ s: buf.toString("latin1", from, end), output, simd: scanMessage(buf, from, end, output, partners) });
      answers.push(simd);
    }
    return answers;
  }

  test("escapes, control bytes, < > &, non-ASCII bytes and bounds, across block edges", () => {
    const scanner = new FrameScanner();
    const cases: [string, number][] = [
      ['abc"', 3],
      ['a\\"b"', 4],
      // An escaped backslash: left to the JS scan.
      ['a\\\\"b"', CALLER_READS],
      ["a\\/b\"", -1],
      ["a\\x\"", -1],
      ['a\tb"', -1],
      ["abc", -1],
      ['a\\u0041"', CALLER_READS],
      [`${"x".repeat(15)}\\"y"`, 18],
      [`${"x".repeat(14)}\\\\"`, CALLER_READS],
      [`${"x".repeat(14)}\\\\`, CALLER_READS],
      [`${"x".repeat(14)}"\\\\`, 14],
      [`${"x".repeat(31)}"`, 31],
    ];
    for (const [s, want] of cases) {
      const buf = Buffer.from(s, "latin1");
      scanner.load(buf);
      expect({ s, got: scanner.closingQuote(0, buf.length, 0) }).toEqual({ s, got: want });
      agrees(scanner, buf, 0, buf.length);
    }
    const html = Buffer.from('a<b"');
    scanner.load(html);
    expect([scanner.closingQuote(0, 4, 0), scanner.closingQuote(0, 4, HTML_UNSURE)]).toEqual([3, -1]);
    const high = Buffer.from('é"');
    scanner.load(high);
    expect([scanner.closingQuote(0, high.length, 0), scanner.closingQuote(0, high.length, HIGH_TO_CALLER)]).toEqual([2, CALLER_READS]);
    // The bound falls before the quote: no string.
    const cut = Buffer.from('abcdef"');
    scanner.load(cut);
    expect(scanner.closingQuote(0, 6, 0)).toBe(-1);
  });

  test("property: on random strings at random offsets it agrees with the JS scan or leaves them to it", () => {
    const r = mulberry32(11);
    const scanner = new FrameScanner();
    const pieces = ["a", "b", " ", "\\n", '\\"', "\\\\", "\\t", "\\u003c", "\\u0065", "\\/", "\\x", "<", "&", "\t", "é", "\u212a", "\u2028", '"', "z".repeat(13)];
    let answered = 0;
    for (let round = 0; round < 20_000; round++) {
      let s = "";
      for (let k = Math.floor(r() * 12); k > 0; k--) s += pick(r, pieces);
      const pad = "p".repeat(Math.floor(r() * 20));
      const buf = Buffer.from(`${pad}${s}"}`);
      scanner.load(buf);
      const end = r() < 0.2 ? pad.length + Math.floor(r() * (buf.length - pad.length)) : buf.length;
      answered += agrees(scanner, buf, pad.length, end).filter((a) => a !== CALLER_READS).length;
    }
    expect(answered).toBeGreaterThan(40_000);
  });
});
