import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import type { Entry } from "../../src/model/entry.ts";
import { app, f2Entries, F2_META, T0 } from "./triage-fixtures.ts";

/** `n` lines a minute apart, `errors` of them failing with `msg`. */
function lines(n: number, errors: number, msg = "request failed"): Entry[] {
  return Array.from({ length: n }, (_, i) => ({ sec: T0 + i, nsec: 0, labels: app(i % 2 ? "api" : "web"), msg: i < errors ? msg : "ok" }));
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("report (%s)", (_n, target) => {
  let f2: string;
  beforeAll(async () => {
    f2 = join(tempDir(), "F2");
    await writeOurCapture(f2, f2Entries(), { metadata: F2_META });
  });

  test("--json: upstream's shape and key order, severity, suggested commands; exit 0", async () => {
    const r = await runCli(["report", f2, "--json"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("Report: severity=high, error_rate=60.0%, entries=10\n");
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(["capture", "labels", "triage", "severity", "suggested_commands"]);
    expect(j.capture).toEqual({ dir: f2, files: 1, entries: 10, bytes: j.capture.bytes, started: "2024-01-15T10:00:00Z", stopped: "2024-01-15T10:08:00Z", duration_seconds: 480 });
    expect(j.capture.bytes).toBeGreaterThan(0);
    expect(j.labels).toEqual({ app: 3 });
    expect(Object.keys(j.triage)).toEqual(["total_lines", "error_lines", "error_rate_pct", "top_errors", "windows"]);
    expect([j.triage.total_lines, j.triage.error_lines, j.triage.error_rate_pct]).toEqual([10, 6, 60]);
    expect(j.triage.top_errors[0]).toEqual({ signature: "connection refused to payments:<N>", count: 3, first_seen: "2024-01-15T10:01:00.000000001Z", example: "connection refused to payments:8080" });
    expect(j.triage.windows.peak_error).toEqual({ from: "2024-01-15T10:01:00Z", to: "2024-01-15T10:06:00Z", description: "4 errors in 5 minutes" });
    // "panic" in a signature makes it high whatever the rate.
    expect(j.severity).toBe("high");
    expect(j.suggested_commands).toEqual([
      `logtap slice ${f2} --from 2024-01-15T10:01:00Z --to 2024-01-15T10:06:00Z --out ./peak-errors`,
      `logtap grep 'connection refused to payments:\\b\\d{4,}\\b' ${f2} --format text`,
      `logtap export ${f2} --format parquet --out capture.parquet`,
    ]);
    expect(r.stdout).toContain("\\u003cN\\u003e");
    // The suggested grep finds exactly the lines of the top signature.
    const g = await runCli(["grep", "connection refused to payments:\\b\\d{4,}\\b", f2, "--format", "text"], { target });
    expect(g.stdout.trim().split("\n")).toHaveLength(3);
    expect((await runCli(["report", f2, "--format", "json"], { target })).stdout).toBe(r.stdout);
  });

  test("severity by error rate: > 5 % high, > 1 % medium, else low; no errors → no top_errors, one command", async () => {
    const cases: [Entry[], string][] = [
      [lines(100, 6), "high"],
      [lines(100, 2), "medium"],
      [lines(100, 1), "low"],
      [lines(100, 1, "worker OOMKilled"), "high"],
    ];
    for (const [entries, want] of cases) {
      const dir = join(tempDir(), "sev");
      await writeOurCapture(dir, entries);
      expect(JSON.parse((await runCli(["report", dir, "--json"], { target })).stdout).severity).toBe(want);
    }
    const calm = join(tempDir(), "calm");
    await writeOurCapture(calm, lines(20, 0));
    const j = JSON.parse((await runCli(["report", calm, "--json"], { target })).stdout);
    expect(Object.keys(j.triage)).toEqual(["total_lines", "error_lines", "error_rate_pct", "windows"]);
    expect(j.suggested_commands).toEqual([`logtap export ${calm} --format parquet --out capture.parquet`]);
    expect(j.severity).toBe("low");
  });

  test("--out writes report.json and report.html (0600); --html=false and --no-html skip the page", async () => {
    const out = join(tempDir(), "rep");
    const r = await runCli(["report", f2, "--out", out], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Report: severity=high, error_rate=60.0%, entries=10\nReport: ${out}/report.json\n`);
    expect(readdirSync(out).sort()).toEqual(["report.html", "report.json"]);
    expect(readFileSync(join(out, "report.json"), "utf8")).toBe((await runCli(["report", f2, "--json"], { target })).stdout);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<title>logtap incident report</title>");
    expect(html).toContain('<div class="card severity-high"><div class="label">Severity</div><div class="value">high</div></div>');
    expect(html).toContain('<div class="label">Duration</div><div class="value">8m0s</div>');
    expect(html).toContain("<td class=\"sig\" title=\"connection refused to payments:8080\">connection refused to payments:&lt;N&gt;</td>");
    for (const flag of ["--html=false", "--no-html"]) {
      const o = join(tempDir(), "rep-nohtml");
      expect((await runCli(["report", f2, "--out", o, flag], { target })).code).toBe(0);
      expect(existsSync(join(o, "report.json"))).toBe(true);
      expect(existsSync(join(o, "report.html"))).toBe(false);
    }
  });

  test("usage errors", async () => {
    expect(await runCli(["report", f2], { target })).toMatchObject({ code: 2, stderr: "error: --out is required (or use --json for stdout)\n" });
    const file = join(tempDir(), "taken");
    writeFileSync(file, "x");
    expect(await runCli(["report", f2, "--out", file], { target })).toMatchObject({ code: 2, stderr: `error: --out ${file} exists and is not a directory\n` });
    expect((await runCli(["report", f2, "--json", "--jobs", "x"], { target })).code).toBe(2);
    expect((await runCli(["report", join(tempDir(), "missing"), "--json"], { target })).code).toBe(3);
  });
});
