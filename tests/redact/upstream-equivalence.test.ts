/**
 * The hand-written scanners must match exactly what upstream's regexes match (Go's leftmost-first semantics, which
 * a backtracking engine shares for these patterns). On short inputs backtracking is harmless, so the regexes
 * themselves serve as the reference over many random strings drawn from the characters that matter.
 */

import { describe, expect, test } from "bun:test";
import { isCardNumber } from "../../src/redact/card-number.ts";
import { createRedactor } from "../../src/redact/redactor.ts";

/** Deterministic, so a failure reproduces. */
function randomStrings(alphabet: readonly string[], count: number, maxLength: number, seed: number): string[] {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  return Array.from({ length: count }, () => {
    let s = "";
    for (let n = next(maxLength + 1); n > 0; n--) s += alphabet[next(alphabet.length)];
    return s;
  });
}

const CASES: { name: string; alphabet: string[]; maxLength: number; reference: (msg: string) => string }[] = [
  {
    name: "credit_card",
    alphabet: ["4111", "1111", "5555", "4444", "1", "0", " ", "-", " - ", "a", "_", "4111111111111111", "378282246310005", "1700000000004"],
    maxLength: 10,
    reference: (msg) => msg.replace(/\b(?:\d[ -]*?){13,19}\b/g, (m) => (isCardNumber(m) ? "[REDACTED:cc]" : m)),
  },
  {
    name: "email",
    alphabet: ["a", "Z", "0", "_", ".", "%", "+", "-", "@", " ", "co", "@x.io"],
    maxLength: 16,
    reference: (msg) => msg.replace(/\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b/g, "[REDACTED:email]"),
  },
  {
    name: "jwt",
    alphabet: ["eyJa.", "eyJa", "eyJ", "a", "_", "-", ".", " ", "J"],
    maxLength: 10,
    reference: (msg) => msg.replace(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, "[REDACTED:jwt]"),
  },
  {
    name: "bearer",
    alphabet: ["Bearer", "bEaReR", "Authorization:", "AUTHORIZATION:", " ", "\t", "\v", "x", ".", "=", "b", "\u017f", "\u212a"],
    maxLength: 8,
    // The explicit ſ and K stand in for Go's case folding of [A-Za-z], which JavaScript's non-Unicode `i` lacks.
    reference: (msg) =>
      msg.replace(
        /(?:Bearer[\t\n\f\r ]+|Authorization:[\t\n\f\r ]*Bearer[\t\n\f\r ]+)[A-Za-z0-9_\-.\u017f\u212a]+/gi,
        "[REDACTED:bearer]",
      ),
  },
];

describe("scanners agree with upstream's regexes", () => {
  for (const { name, alphabet, maxLength, reference } of CASES) {
    test(`${name}, on 20,000 random strings`, async () => {
      const redactor = await createRedactor({ names: [name] });
      let changed = 0;
      for (const input of randomStrings(alphabet, 20_000, maxLength, name.length)) {
        const expected = reference(input);
        if (expected !== input) changed++;
        if (redactor.redact(input) !== expected) expect({ input, got: redactor.redact(input) }).toEqual({ input, got: expected });
      }
      // The alphabets are chosen so that a good share of inputs contain matches; otherwise this would prove little.
      expect(changed).toBeGreaterThan(200);
    });
  }
});
