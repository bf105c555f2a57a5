/**
 * Every built-in runs in linear time, whatever the input. A backtracking regex engine goes quadratic (or worse) on
 * inputs like these — e.g. upstream's email regex restarts at every character of a long local part — and one such
 * line would stall the receiver. 1 MiB is the longest line the capture format allows; the bound is generous for CI
 * (the scanners take a few milliseconds).
 */

import { describe, expect, test } from "bun:test";
import { BUILTIN_NAMES, createRedactor } from "../../src/redact/redactor.ts";

const MiB = 1 << 20;
const fill = (unit: string): string => unit.repeat(Math.ceil(MiB / unit.length)).slice(0, MiB);
const halves = (left: string, middle: string, right: string): string => fill(left).slice(0, MiB / 2) + middle + fill(right).slice(0, MiB / 2);

const ADVERSARIAL: Record<string, string> = {
  '"a"…': fill("a"),
  '"a."…': fill("a."),
  '"1 "…': fill("1 "),
  '"1-"…': fill("1-"),
  "a run of digits": fill("1"),
  "12-digit groups that never reach 13": fill("1-1-1-1-1-1-1-1-1-1-1-1x"),
  "a digit, then 1 MiB of spaces": `1${" ".repeat(MiB)}x`,
  '"a@"…': fill("a@"),
  '"aaaa@aaaa…"': halves("a", "@", "a"),
  '"a.a.…@a.a.…"': halves("a.", "@", "a."),
  '"a@a."…': fill("a@a."),
  '"eyJ"…': fill("eyJ"),
  '"eyJa."…': fill("eyJa."),
  '"Bearer "…': fill("Bearer "),
  '"bearer", 1 MiB of spaces, "!"': `bearer${" ".repeat(MiB)}!`,
  '"Authorization: "…': fill("Authorization: "),
  '"1."…': fill("1."),
  '"255.255."…': fill("255.255."),
  '"123-45-"…': fill("123-45-"),
  '"(555) "…': fill("(555) "),
  '"+1-"…': fill("+1-"),
};

const LIMIT_MS = 1500;

const SUBJECTS = await Promise.all(
  [...BUILTIN_NAMES.map((name) => [name]), BUILTIN_NAMES].map(async (names) => ({
    label: names.length === 1 ? names[0]! : "all patterns together",
    redactor: await createRedactor({ names }),
  })),
);

for (const { label: subject, redactor } of SUBJECTS) {
  describe(subject, () => {
    for (const [label, input] of Object.entries(ADVERSARIAL)) {
      test(`1 MiB of ${label} in under ${LIMIT_MS} ms`, () => {
        const start = performance.now();
        redactor.redact(input);
        expect(performance.now() - start).toBeLessThan(LIMIT_MS);
      });
    }
  });
}
