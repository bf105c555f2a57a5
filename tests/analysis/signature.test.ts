import { describe, expect, test } from "bun:test";
import { ERROR_KEYWORDS, isErrorLine } from "../../src/analysis/signature/error-line.ts";
import { normalizeSignature } from "../../src/analysis/signature/normalize-signature.ts";
import { ErrorTally } from "../../src/analysis/signature/error-tally.ts";

// Upstream §11.2's keyword list, written out (not the product's ERROR_KEYWORDS).
const SPEC_KEYWORDS = ["error", "panic", "fatal", "exception", "fail", "refused", "timeout", "oomkilled", "crashloopbackoff", "segfault", "x509", "deadline exceeded"];

describe("isErrorLine (upstream §11.2)", () => {
  test("every keyword counts, case-insensitively, as a substring", () => {
    for (const k of SPEC_KEYWORDS) {
      expect({ k, inside: isErrorLine(`xx${k}yy`), upper: isErrorLine(k.toUpperCase()) }).toEqual({ k, inside: true, upper: true });
    }
    expect(isErrorLine("request failed")).toBe(true);
    expect(isErrorLine("java.lang.NullPointerException")).toBe(true);
    expect(isErrorLine("5xx server error")).toBe(true);
    expect(isErrorLine("context Deadline Exceeded")).toBe(true);
  });

  test("the exported list is §11.2's, in its order (other scanners build on it)", () => {
    expect([...ERROR_KEYWORDS]).toEqual(SPEC_KEYWORDS);
  });

  test("ordinary lines do not count", () => {
    expect(isErrorLine("GET /api/users 200 12ms")).toBe(false);
    expect(isErrorLine("")).toBe(false);
    expect(isErrorLine("deadline  exceeded")).toBe(false);
    // Words a log reader might take for errors that are not on §11.2's list.
    for (const m of ["WARN disk 91%", "critical path ok", "err=nil", "killed by user", "crash report uploaded", "permission denied", "x 509"]) {
      expect({ m, error: isErrorLine(m) }).toEqual({ m, error: false });
    }
  });

  test("folds like Go's strings.ToLower (İ → i, Kelvin sign → k)", () => {
    expect(isErrorLine("FA\u0130L")).toBe(true);
    expect(isErrorLine("OOM\u212AILLED")).toBe(true);
  });
});

describe("normalizeSignature (upstream §11.3)", () => {
  const cases: [string, string][] = [
    ["request id=a1b2c3d4-e5f6-7890-abcd-ef1234567890 failed", "request id=<UUID> failed"],
    ["request id=A1B2C3D4-E5F6-7890-ABCD-EF1234567890 failed", "request id=<UUID> failed"],
    ["connection refused to 10.0.1.42:8080", "connection refused to <IP>:<N>"],
    ["logged at 2024-01-15T10:32:01.123456Z", "logged at <TS>"],
    ["logged at 2024-01-15T10:32:01+01:00", "logged at <TS>+01:00"],
    ["memory at 0x7ffeefbff4a0 corrupted", "memory at <HEX> corrupted"],
    ["duration=1.5s", "duration=<DUR>"],
    ["took 12µs", "took <DUR>"],
    ["port 8080", "port <N>"],
    ["status 500", "status 500"],
    ["POST /api/v1/users 201 12ms", "POST /api/v1/users 201 <DUR>"],
    ["retry in 5.s", "retry in <DUR>"], // upstream's \d+\.?\d*: a bare point still counts
    ["id deadbeef-dead-beef-dead-beefdeadbeef gone", "id <UUID> gone"], // no digit at all, still a UUID
    ["no numbers here", "no numbers here"],
    [
      "2024-01-15T10:32:01Z [api] request a1b2c3d4-e5f6-7890-abcd-ef1234567890 to 10.0.1.42:8080 failed after 230ms",
      "<TS> [api] request <UUID> to <IP>:<N> failed after <DUR>",
    ],
  ];
  for (const [input, want] of cases) {
    test(JSON.stringify(input), () => {
      expect(normalizeSignature(input)).toBe(want);
      expect(normalizeSignature(want)).toBe(want);
    });
  }
});

describe("ErrorTally", () => {
  const e = (sec: number, nsec: number, msg: string) => ({ sec, nsec, labels: {}, msg });

  test("counts lines, error lines, and per signature the count and earliest timestamp", () => {
    const t = new ErrorTally();
    expect(t.add(e(10, 5, "ok"))).toBe(false);
    expect(t.add(e(10, 5, "error: port 8080 refused"))).toBe(true);
    t.add(e(9, 999, "error: port 9090 refused"));
    t.add(e(9, 999, "error: port 7070 refused"));
    t.add(e(1, 0, "panic: b"));
    expect([t.lines, t.errorLines]).toEqual([5, 4]);
    expect(t.signatures.get("error: port <N> refused")).toEqual({ count: 3, firstSec: 9, firstNsec: 999 });
  });

  test("ranked: count descending, ties by signature, optional limit", () => {
    const t = new ErrorTally();
    for (const m of ["error: b", "error: a", "error: c", "error: c"]) t.add(e(1, 0, m));
    expect(t.ranked()).toEqual([
      { pattern: "error: c", count: 2 },
      { pattern: "error: a", count: 1 },
      { pattern: "error: b", count: 1 },
    ]);
    expect(t.ranked(1)).toEqual([{ pattern: "error: c", count: 2 }]);
  });
});
