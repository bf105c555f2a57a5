/**
 * isBacktrackingRisk screens user patterns before they run on every log line. JavaScript regexes backtrack, and a
 * repeated part that can split the same text in many ways is exponential: `(a+)+b` on 30 "a"s takes minutes.
 */

import { describe, expect, test } from "bun:test";
import { isBacktrackingRisk, RegexSyntaxError } from "../../src/regex/re2.ts";

describe("flagged", () => {
  const risky: [pattern: string, reason: string][] = [
    ["(a+)+", "nested quantifiers in `(a+)+`"],
    ["(a*)*b", "nested quantifiers in `(a*)*`"],
    ["(.*)*", "nested quantifiers in `(.*)*`"],
    ["x(a+){3}", "nested quantifiers in `(a+){3}`"],
    ["(a{1,3})+", "nested quantifiers in `(a{1,3})+`"],
    ["(a?)+", "nested quantifiers in `(a?)+`"],
    ["(\\w+\\s?)+$", "nested quantifiers in `(\\w+\\s?)+`"],
    ["(.*,)*", "nested quantifiers in `(.*,)*`"],
    ["(a+a+,)*", "nested quantifiers in `(a+a+,)*`"],
    ['"(?:[^"\\\\]+|\\\\.)*"', 'nested quantifiers in `(?:[^"\\\\]+|\\\\.)*`'],
    ["^(([a-z])+.)+[A-Z]([a-z])+$", "nested quantifiers in `(([a-z])+.)+`"],
    ["(a|a)*", "overlapping alternatives under a quantifier in `(a|a)*`"],
    ["(\\w|\\d)+", "overlapping alternatives under a quantifier in `(\\w|\\d)+`"],
    ["(?i)(A|a)+", "overlapping alternatives under a quantifier in `(A|a)+`"],
    ["((a|ab)c)+", "overlapping alternatives under a quantifier in `((a|ab)c)+`"],
  ];
  for (const [pattern, reason] of risky) {
    test(JSON.stringify(pattern), () => expect(isBacktrackingRisk(pattern)).toBe(reason));
  }
});

describe("not flagged", () => {
  const safe: [pattern: string, why: string][] = [
    ["(?i)api[_-]?key[=: ]+[A-Za-z0-9]{16,}", "no nesting"],
    ["\\b[A-Za-z0-9._%+\\-]+@[A-Za-z0-9.\\-]+\\.[A-Za-z]{2,}\\b", "no nesting (adjacent runs are polynomial at worst)"],
    ["(\\d+\\.)+\\d+", "each run ends at a character it cannot match"],
    ["(?:\\d{1,3}\\.){3}\\d{1,3}", "delimited, and bounded"],
    ["([^,]*,)*", "delimited"],
    ["([a-z0-9-]+\\.)+[a-z]{2,}", "delimited"],
    ["(ba+)+", "the next iteration's first character ends the run"],
    ["(a{3})+", "fixed-length iterations"],
    ["(ab)+", "no inner quantifier"],
    ["(a|b)*", "alternatives start differently"],
    ['"(?:[^"\\\\]|\\\\.)*"', "alternatives start differently"],
    ["(a+)?", "not repeated"],
    ["(\\w+)\\s*=\\s*(\\S+)", "no nesting"],
  ];
  for (const [pattern, why] of safe) {
    test(`${JSON.stringify(pattern)}: ${why}`, () => expect(isBacktrackingRisk(pattern)).toBeNull());
  }
});

test("conservative: some safe patterns are flagged too", () => {
  // Nested delimited lists split one way only, but a run inside a group inside the repetition counts as ambiguous.
  expect(isBacktrackingRisk("((a+,)+;)*")).toBe("nested quantifiers in `((a+,)+;)*`");
});

test("an invalid pattern is a syntax error, not a verdict", () => {
  expect(() => isBacktrackingRisk("(a+")).toThrow(RegexSyntaxError);
});

test("what it guards against: a flagged pattern really is exponential in JavaScript", () => {
  const re = /^(a+)+$/;
  const time = (n: number): number => {
    const start = performance.now();
    re.test(`${"a".repeat(n)}!`);
    return performance.now() - start;
  };
  const small = Math.min(time(16), time(16), time(16));
  // Each extra "a" doubles the work: eight more cost about 256 times as much.
  expect(time(24)).toBeGreaterThan(10 * small);
});
