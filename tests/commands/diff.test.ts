import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { cliTargets, primaryTarget, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { capture, corruptedCapture, lines, mix } from "./diff-fixtures.ts";

const target = primaryTarget();

async function baseline(a: string, b: string, extra: string[] = []) {
  const r = await runCli(["diff", a, b, "--baseline", "--json", ...extra], { target });
  return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : null };
}

describe("diff --baseline: one fixture per row of the verdict table (§13.2)", () => {
  const root = tempDir();
  const rows: [string, [number, string][], [number, string][], number, number, string, number][] = [
    // name, baseline errors, current errors, baseline lines, current lines, verdict, confidence
    ["1 improvement, E < -50", [[5, "error: db down"]], [[1, "error: db down"]], 10, 10, "improvement", 0.9],
    ["1 improvement, -50 ≤ E < -20", [[4, "error: db down"]], [[3, "error: db down"]], 10, 10, "improvement", 0.7],
    ["2 regression, E > 200", [[1, "ERROR: connection refused"]], [[5, "ERROR: connection refused"], [5, "FATAL: out of memory"]], 10, 10, "regression", 0.95],
    ["2 regression, 100 < E ≤ 200", [[2, "error: a"]], [[5, "error: a"]], 10, 10, "regression", 0.85],
    ["2 regression, 50 < E ≤ 100", [[2, "error: a"]], [[2, "error: a"], [2, "error: b"]], 10, 10, "regression", 0.7],
    ["3 different, |V| > 50 and |E| ≤ 50", [], [], 10, 20, "different", 0.6],
    ["4 different, E > 50 without new patterns", [[2, "error: a"]], [[4, "error: a"]], 10, 10, "different", 0.5],
    ["5 stable, |E| ≤ 5", [[1, "error: a"]], [[1, "error: a"]], 10, 10, "stable", 0.95],
    ["5 stable, 5 < |E| ≤ 20", [[10, "error: a"]], [[11, "error: a"]], 100, 100, "stable", 0.8],
    ["6 different, new patterns with a small change", [[2, "error: a"]], [[1, "error: a"], [1, "error: b"]], 10, 10, "different", 0.5],
    ["7 stable otherwise", [[4, "error: a"]], [[5, "error: a"]], 10, 10, "stable", 0.5],
  ];
  for (const [name, baseErrors, curErrors, baseLines, curLines, verdict, confidence] of rows) {
    test(name, async () => {
      const id = name.replace(/\W+/g, "-");
      const a = await capture(root, `${id}-a`, mix(baseLines, baseErrors));
      const b = await capture(root, `${id}-b`, mix(curLines, curErrors));
      const r = await baseline(a, b);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect([r.doc.verdict, r.doc.confidence]).toEqual([verdict, confidence]);
    });
  }
});

describe.each(cliTargets().map((t) => [t.name, t] as const))("diff (%s)", (_name, t) => {
  test("A.7: --baseline --json, field order, new and >2x patterns sorted by count", async () => {
    const root = tempDir();
    const a = await capture(root, "F3b", mix(10, [[1, "ERROR: connection refused"]]));
    const b = await capture(root, "F3c", mix(10, [[5, "FATAL: out of memory"], [5, "ERROR: connection refused"]]));
    const r = await runCli(["diff", a, b, "--baseline", "--json"], { target: t });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      JSON.stringify(
        {
          baseline: a,
          current: b,
          error_rate_change: "+900%",
          volume_change: "+0%",
          new_error_patterns: [
            { pattern: "ERROR: connection refused", count: 5, baseline_count: 1 },
            { pattern: "FATAL: out of memory", count: 5, baseline_count: 0 },
          ],
          verdict: "regression",
          confidence: 0.95,
        },
        null,
        2,
      ) + "\n",
    );
  });

  test("--baseline text layout with labels blocks", async () => {
    const root = tempDir();
    const a = await capture(root, "a", mix(10, [[1, "ERROR: connection refused"]]), undefined, { zone: "z1" });
    const b = await capture(root, "b", mix(10, [[5, "FATAL: out of memory"], [5, "ERROR: connection refused"]]), undefined, { pod: "p" });
    const r = await runCli(["diff", a, b, "--baseline"], { target: t });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `Baseline: ${a}`,
        `Current:  ${b}`,
        "",
        "Verdict:    regression (confidence 95%)",
        "Error rate: +900%",
        "Volume:     +0%",
        "",
        "New/worse error patterns:",
        "  [1 -> 5] ERROR: connection refused",
        "  [NEW 5] FATAL: out of memory",
        "",
        "Missing labels (in baseline, not in current): [zone]",
        "",
        "New labels (in current, not in baseline): [pod]",
        "",
      ].join("\n"),
    );
  });

  test("--ci: output first, then exit 6 `verdict: regression`; --fail-on widens; a pass exits 0", async () => {
    const root = tempDir();
    const a = await capture(root, "a", mix(10, [[1, "error: x"]]));
    const b = await capture(root, "b", mix(10, [[5, "error: x"], [5, "panic: y"]]));
    const fail = await runCli(["diff", a, b, "--ci"], { target: t });
    expect(fail.code).toBe(6);
    expect(fail.stdout).toStartWith(`Baseline: ${a}\n`);
    expect(fail.stderr).toContain("error: verdict: regression");
    const failJson = await runCli(["diff", a, b, "--ci", "--json"], { target: t });
    expect(failJson.code).toBe(6);
    expect(JSON.parse(failJson.stdout).verdict).toBe("regression");
    expect(JSON.parse(failJson.stderr.trim().split("\n").at(-1)!)).toEqual({ exit_code: 6, error: "findings", message: "verdict: regression", recoverable: false });

    const same = await capture(root, "same", mix(10, [[1, "error: x"]]));
    expect((await runCli(["diff", a, same, "--ci"], { target: t })).code).toBe(0);
    const big = await capture(root, "big", mix(30, [[3, "error: x"]]));
    expect((await runCli(["diff", a, big, "--ci"], { target: t })).code).toBe(0); // different, not in the default list
    const r = await runCli(["diff", a, big, "--ci", "--fail-on", "regression,different"], { target: t });
    expect([r.code, r.stderr.trim()]).toEqual([6, "error: verdict: different"]);
    expect((await runCli(["diff", a, big, "--ci", "--fail-on", "stable", "--fail-on", "different"], { target: t })).code).toBe(6);
    // --baseline alone never fails on the verdict.
    expect((await runCli(["diff", a, b, "--baseline"], { target: t })).code).toBe(0);
  });

  test("structural text: sides, label and error blocks, rate table", async () => {
    const root = tempDir();
    const a = await capture(root, "a", [...lines(3, "api", (i) => (i === 0 ? "error: disk full on /dev/sda1 after 1200ms" : "ok")), [61, "api", "ok"]], undefined, { zone: "z" });
    const b = await capture(root, "b", [[0, "web", "panic: nil map"], [1, "web", "ok"], [125, "web", "ok"]], undefined, { pod: "p" });
    const r = await runCli(["diff", a, b], { target: t });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `Capture A: ${a}`,
        "  4 lines, 0.0 lines/sec, 1h0m0s",
        `Capture B: ${b}`,
        "  3 lines, 0.0 lines/sec, 1h0m0s",
        "",
        "Labels only in A: [zone]",
        "",
        "Labels only in B: [pod]",
        "",
        "Errors only in A:",
        "  [1] error: disk full on /dev/sda1 after <DUR>",
        "",
        "Errors only in B:",
        "  [1] panic: nil map",
        "",
        "Rate comparison (lines/min):",
        "  Minute                      A        B",
        "  10:00                       3        2",
        "  10:01                       1        0",
        "  10:02                       0        1",
        "",
      ].join("\n"),
    );
  });

  test("structural --json: upstream fields plus error_lines; int64 duration; omitted empty blocks", async () => {
    const root = tempDir();
    const a = await capture(root, "a", lines(4, "api", (i) => (i % 2 ? "error: boom" : "ok")));
    const b = await capture(root, "b", lines(4, "api", (i) => (i % 2 ? "error: boom" : "ok")));
    const r = await runCli(["diff", a, b, "--format", "json"], { target: t });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["a", "b", "rate_compare"]);
    expect(doc.a).toEqual({
      dir: a,
      started: "2025-01-15T10:00:00Z",
      stopped: "2025-01-15T11:00:00Z",
      duration: 3_600_000_000_000,
      lines: 4,
      lines_per_sec: 4 / 3600,
      labels: ["app"],
      error_lines: 2,
    });
    expect(doc.rate_compare).toEqual([{ minute: "2025-01-15T10:00:00Z", rate_a: 4, rate_b: 4 }]);
    expect(r.stdout).toContain('"duration": 3600000000000,');
  });
});

describe("diff: live or crashed captures and errors", () => {
  test("metadata totals 0 (live/crashed): scanned lines, duration up to the newest entry (Q26)", async () => {
    const root = tempDir();
    const live = { stopped: "0001-01-01T00:00:00Z", total_lines: 0, total_bytes: 0 };
    const a = await capture(root, "a", lines(6, "api", (i) => (i < 3 ? "error: x" : "ok")), live);
    const b = await capture(root, "b", lines(6, "api", () => "ok"), live);
    const r = await runCli(["diff", a, b, "--json"], { target });
    const doc = JSON.parse(r.stdout);
    expect(doc.a.lines).toBe(6);
    expect(doc.a.stopped).toBe("0001-01-01T00:00:00Z");
    // started 10:00:00, newest entry 10:00:05
    expect(doc.a.duration).toBe(5_000_000_000);
    expect(doc.a.lines_per_sec).toBe(1.2);
    const v = await baseline(b, a);
    expect([v.doc.error_rate_change, v.doc.volume_change, v.doc.verdict]).toEqual(["+100%", "+0%", "regression"]);
  });

  test("a missing capture names the side (exit 3); a bad --fail-on is a usage error (exit 2)", async () => {
    const root = tempDir();
    const a = await capture(root, "a", lines(2, "api", () => "ok"));
    const missing = await runCli(["diff", a, join(root, "nope")], { target });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("error: capture B: ");
    const missingBase = await runCli(["diff", join(root, "nope"), a, "--baseline"], { target });
    expect([missingBase.code, missingBase.stderr.startsWith("error: baseline: ")]).toEqual([3, true]);
    const bad = await runCli(["diff", a, a, "--ci", "--fail-on", "regresion"], { target });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --fail-on "regresion"');
    expect((await runCli(["diff", a], { target })).code).toBe(2);
  });

  test("corrupt data: warning and reading goes on; --strict fails after printing", async () => {
    const { dir: a, total, lost } = await corruptedCapture(tempDir());
    const r = await runCli(["diff", a, a, "--json"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: ");
    expect(JSON.parse(r.stdout).rate_compare.reduce((n: number, row: { rate_a: number }) => n + row.rate_a, 0)).toBe(total - lost);
    const strict = await runCli(["diff", a, a, "--strict"], { target });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toStartWith("Capture A:");
  });
});
