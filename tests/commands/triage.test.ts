import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { upstreamLine, writeOurCapture, writeUpstreamCapture } from "../support/fixture-capture.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import type { Entry } from "../../src/model/entry.ts";
import { app, bigEntries, f2Entries, F2_META, T0 } from "./triage-fixtures.ts";
import { corruptedCapture } from "../support/export-fixtures.ts";

describe.each(cliTargets().map((t) => [t.name, t] as const))("triage (%s)", (_n, target) => {
  let f2: string;
  let big: string;
  beforeAll(async () => {
    f2 = join(tempDir(), "F2");
    await writeOurCapture(f2, f2Entries(), { metadata: F2_META });
    big = join(tempDir(), "big");
    await writeOurCapture(big, bigEntries(), { maxFileBytes: 600_000, frameBytes: 8_000 });
  });

  test("--json on upstream's F2 gives Appendix A.6, with its ties broken; exit 6 because errors were found", async () => {
    const r = await runCli(["triage", f2, "--json"], { target });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("Triage: 10 lines scanned, 6 errors found\n");
    expect(JSON.parse(r.stderr.trim().split("\n").at(-1)!)).toEqual({ exit_code: 6, error: "findings", message: "6 error lines found (use --exit-zero to exit 0)", recoverable: false });
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(["dir", "metadata", "timeline", "errors", "talkers", "windows", "total_lines", "error_lines"]);
    expect(j.dir).toBe(f2);
    expect(j.metadata.started).toBe("2024-01-15T10:00:00Z");
    expect(j.timeline.map((b: { time: string; total_lines: number; error_lines: number }) => `${b.time.slice(11, 16)} ${b.total_lines}/${b.error_lines}`)).toEqual([
      "10:00 1/0", "10:01 1/1", "10:02 1/0", "10:03 2/2", "10:04 1/0", "10:05 1/1", "10:06 1/1", "10:07 1/0", "10:08 1/1",
    ]);
    expect(j.errors).toEqual([
      { signature: "connection refused to payments:<N>", count: 3, first_seen: "2024-01-15T10:01:00.000000001Z", example: "connection refused to payments:8080" },
      { signature: "5xx server error status=503", count: 1, first_seen: "2024-01-15T10:03:00.000000004Z", example: "5xx server error status=503" },
      { signature: "panic: nil pointer dereference", count: 1, first_seen: "2024-01-15T10:05:00.000000006Z", example: "panic: nil pointer dereference" },
      { signature: "timeout processing job=<N>", count: 1, first_seen: "2024-01-15T10:06:00.000000007Z", example: "timeout processing job=12345" },
    ]);
    expect(r.stdout).toContain('"signature": "connection refused to payments:\\u003cN\\u003e"');
    expect(j.talkers).toEqual({
      app: [
        { value: "api", total_lines: 6, error_lines: 5 },
        { value: "worker", total_lines: 2, error_lines: 1 },
        { value: "gateway", total_lines: 2, error_lines: 0 },
      ],
    });
    expect(j.windows).toEqual({
      peak_error: { from: "2024-01-15T10:01:00Z", to: "2024-01-15T10:06:00Z", description: "4 errors in 5 minutes" },
      incident_start: { from: "2024-01-15T10:01:00Z", to: "2024-01-15T10:02:00Z", description: "1 new error signatures first appeared" },
      steady_state: { from: "2024-01-15T10:04:00Z", to: "2024-01-15T10:09:00Z", description: "5 minutes at or below median error rate" },
    });
    expect([j.total_lines, j.error_lines]).toEqual([10, 6]);
    // The alias, and --exit-zero.
    const alias = await runCli(["triage", f2, "--format", "json", "--exit-zero"], { target });
    expect(alias.code).toBe(0);
    expect(alias.stdout).toBe(r.stdout);
  });

  test("--out writes the upstream files (0700 directory, 0600 files); report.html only with --html", async () => {
    const out = join(tempDir(), "triage-out");
    const r = await runCli(["triage", f2, "--out", out, "--exit-zero"], { target });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`Triage: 10 lines scanned, 6 errors found\nResults: ${out}/summary.md\n`);
    expect(readdirSync(out).sort()).toEqual(["sequence.txt", "summary.md", "timeline.csv", "top_errors.txt", "top_talkers.txt", "windows.json"]);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, "summary.md")).mode & 0o777).toBe(0o600);
    const read = (f: string) => readFileSync(join(out, f), "utf8");
    expect(read("summary.md")).toBe(
      [
        `# Triage: ${f2}`,
        "",
        "Period:  2024-01-15 10:00 — 10:08 (8m 00s)",
        "Lines:   10 (6 errors)",
        "",
        "## Incident Signal",
        "Peak error window:  2024-01-15T10:01:00Z — 2024-01-15T10:06:00Z (4 errors in 5 minutes)",
        "Incident start:     2024-01-15T10:01:00Z (1 new error signatures first appeared)",
        "",
        "## Top Errors (of 6 total)",
        `  1. ${"connection refused to payments:<N>".padEnd(60)} 3  (50.0%)`,
        `  2. ${"5xx server error status=503".padEnd(60)} 1  (16.7%)`,
        `  3. ${"panic: nil pointer dereference".padEnd(60)} 1  (16.7%)`,
        `  4. ${"timeout processing job=<N>".padEnd(60)} 1  (16.7%)`,
        "",
        "## Top Talkers",
        "  app:",
        "    api                  6 lines  (60.0%)  ← 83% of errors",
        "    worker               2 lines  (20.0%)  ← 17% of errors",
        "    gateway              2 lines  (20.0%)",
        "",
        "## Recommended Slices",
        `  logtap slice ${f2} --from 2024-01-15T10:01:00Z --to 2024-01-15T10:06:00Z --out ./incident`,
        `  logtap slice ${f2} --grep 'connection refused to payments:\\b\\d{4,}\\b' --out ./top-error`,
        "",
      ].join("\n"),
    );
    expect(read("timeline.csv").split("\n").slice(0, 3)).toEqual(["minute,total_lines,error_lines", "2024-01-15T10:00:00Z,1,0", "2024-01-15T10:01:00Z,1,1"]);
    expect(read("top_errors.txt").split("\n")[0]).toBe("1. connection refused to payments:<N>\t3\t(50.0%)\tfirst: 2024-01-15T10:01:00Z");
    expect(read("top_talkers.txt")).toBe(
      "app:\n  api                  6 lines\t(60.0%)\t5 errors\n  worker               2 lines\t(20.0%)\t1 errors\n  gateway              2 lines\t(20.0%)\t0 errors\n",
    );
    expect(JSON.parse(read("windows.json")).peak_error.description).toBe("4 errors in 5 minutes");
    expect(read("windows.json").endsWith("}\n")).toBe(true);
    expect(read("sequence.txt")).toBe("No cross-service correlations detected.\n");
    // The suggested slices run as printed and select what they promise.
    const sliced = join(tempDir(), "top-error");
    const s = await runCli(["slice", f2, "--grep", "connection refused to payments:\\b\\d{4,}\\b", "--out", sliced, "--json"], { target });
    expect(JSON.parse(s.stdout).entries).toBe(3);

    expect((await runCli(["triage", f2, "--out", out, "--html", "--exit-zero"], { target })).code).toBe(0);
    expect(readFileSync(join(out, "report.html"), "utf8")).toStartWith("<!DOCTYPE html>");
  });

  test("--window sets the bucket width (upstream ignored it); bad values are usage errors", async () => {
    const j = JSON.parse((await runCli(["triage", f2, "--json", "--window", "5m", "--exit-zero"], { target })).stdout);
    expect(j.timeline).toEqual([
      { time: "2024-01-15T10:00:00Z", total_lines: 6, error_lines: 3 },
      { time: "2024-01-15T10:05:00Z", total_lines: 4, error_lines: 3 },
    ]);
    expect(j.windows.peak_error).toEqual({ from: "2024-01-15T10:00:00Z", to: "2024-01-15T10:10:00Z", description: "6 errors in 10 minutes" });
    const half = JSON.parse((await runCli(["triage", f2, "--json", "--window", "30s", "--exit-zero"], { target })).stdout);
    expect(half.timeline).toHaveLength(17);
    expect(half.timeline[1].time).toBe("2024-01-15T10:00:30Z");
    expect(half.windows.peak_error.description).toBe("3 errors in 150 seconds");
    for (const bad of ["soon", "500ms", "1.5s", "0s", "-1m"]) {
      const r = await runCli(["triage", f2, "--json", "--window", bad], { target });
      expect({ bad, code: r.code }).toEqual({ bad, code: 2 });
      expect(JSON.parse(r.stderr).message).toStartWith("invalid --window: ");
    }
  });

  test("usage and missing captures", async () => {
    const noOut = await runCli(["triage", f2], { target });
    expect([noOut.code, noOut.stderr]).toEqual([2, "error: --out is required (or use --json for stdout)\n"]);
    // A file where the results directory would go is refused before the scan, not by mkdir after it.
    const file = join(tempDir(), "taken");
    writeFileSync(file, "x");
    expect(await runCli(["triage", f2, "--out", file], { target })).toMatchObject({ code: 2, stderr: `error: --out ${file} exists and is not a directory\n` });
    const missing = await runCli(["triage", join(tempDir(), "nope"), "--json"], { target });
    expect(missing.code).toBe(3);
    for (const [flag, value] of [["--jobs", "two"], ["--top", "1.5"], ["--max-signatures", "x"]] as const) {
      expect((await runCli(["triage", f2, "--json", flag, value], { target })).code).toBe(2);
    }
  });

  test("--top limits the list; a capture without errors exits 0 and leaves errors and correlations out", async () => {
    const j = JSON.parse((await runCli(["triage", f2, "--json", "--top", "2", "--exit-zero"], { target })).stdout);
    expect(j.errors.map((e: { signature: string }) => e.signature)).toEqual(["connection refused to payments:<N>", "5xx server error status=503"]);
    const calm = join(tempDir(), "calm");
    await writeOurCapture(calm, [0, 1, 2, 3].map((m) => ({ sec: T0 + m * 60, nsec: 0, labels: app("web"), msg: "all good" })));
    const r = await runCli(["triage", calm, "--json"], { target });
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(Object.keys(c)).toEqual(["dir", "metadata", "timeline", "talkers", "windows", "total_lines", "error_lines"]);
    expect(c.windows).toEqual({ steady_state: { from: "2024-01-15T10:00:00Z", to: "2024-01-15T10:04:00Z", description: "4 minutes at or below median error rate" } });
  });

  test("--jobs 2 gives the same result as --jobs 1 on a multi-file, multi-frame capture, signature cap included", async () => {
    expect(readIndex(big).length).toBeGreaterThan(2);
    expect(readIndex(big)[0]!.frames!.length).toBeGreaterThan(16);
    const one = await runCli(["triage", big, "--json", "--jobs", "1", "--max-signatures", "2", "--exit-zero"], { target });
    const two = await runCli(["triage", big, "--json", "--jobs", "2", "--max-signatures", "2", "--exit-zero"], { target });
    expect(two.code).toBe(0);
    expect(two.stderr).toBe(one.stderr);
    expect(one.stderr).toMatch(/^Signatures capped at 2 \(had 3 unique\)\n/);
    expect(two.stdout).toBe(one.stdout);
    const j = JSON.parse(one.stdout);
    expect(j.total_lines).toBe(bigEntries().length);
    expect(j.errors).toHaveLength(2);
    expect(j.errors.map((e: { signature: string }) => e.signature)).toContain("timeout calling db after <DUR> (req <NUM>)");
    // The designed cascade: db errors, then api times out naming db 20 s later.
    expect(j.correlations[0]).toMatchObject({ source: "db", target: "api", lag_seconds: 20, pattern: "cascade_timeout" });
    // Uncapped: the three errors of the generator, each one signature (its varying table, user or request number a
    // part of the template), counted exactly.
    const uncapped = JSON.parse((await runCli(["triage", big, "--json", "--jobs", "2", "--exit-zero"], { target })).stdout);
    expect(uncapped.errors.map((e: { signature: string }) => e.signature).sort()).toEqual(["db: deadlock error on table t<*>", "render failed for user-<NUM>", "timeout calling db after <DUR> (req <NUM>)"]);
    expect(uncapped.errors.reduce((n: number, e: { count: number }) => n + e.count, 0)).toBe(uncapped.error_lines);
    expect(uncapped.errors.find((e: { signature: string }) => e.signature === "db: deadlock error on table t<*>").count).toBe(
      bigEntries().filter((e) => e.msg.startsWith("db: deadlock error on table t")).length,
    );
  });

  test("correlation patterns and sequence.txt from a capture", async () => {
    const dir = join(tempDir(), "cascade");
    const entries: Entry[] = [];
    let x = 5;
    for (let step = 0; step < 60; step++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const n = x % 5;
      for (let k = 0; k < n; k++) {
        const sec = T0 + step * 10 + k;
        entries.push({ sec, nsec: 0, labels: app("payments"), msg: `card processor error ${k}` });
        entries.push({ sec, nsec: 1, labels: app("ledger"), msg: `ledger write failed ${k}` });
        entries.push({ sec: sec + 10, nsec: 0, labels: app("checkout"), msg: `upstream error from payments ${k}` });
      }
      entries.push({ sec: T0 + step * 10 + 9, nsec: 0, labels: app("search"), msg: step % 17 === 0 ? "search failed" : "ok" });
    }
    await writeOurCapture(dir, entries.sort((a, b) => a.sec - b.sec || a.nsec - b.nsec));
    const out = join(tempDir(), "cascade-out");
    const r = await runCli(["triage", dir, "--out", out, "--exit-zero"], { target });
    expect(r.code).toBe(0);
    const seq = readFileSync(join(out, "sequence.txt"), "utf8");
    const j = JSON.parse((await runCli(["triage", dir, "--json", "--exit-zero"], { target })).stdout);
    const pairs = j.correlations.map((c: { source: string; target: string; lag_seconds: number; pattern: string }) => `${c.source}>${c.target} +${c.lag_seconds}s ${c.pattern}`);
    expect(pairs).toContain("ledger>payments +0s co_failure");
    expect(pairs).toContain("payments>checkout +10s cascade_timeout");
    expect(pairs).toContain("ledger>checkout +10s cascade_error");
    expect(pairs.some((p: string) => p.includes("search"))).toBe(false);
    expect(seq).toContain("co_failure +0s (100%)");
    expect(seq).toContain("cascade_timeout +10s");
    expect(seq.split("\n")[0]!.trim().split(/\s+/).sort()).toEqual(["checkout", "ledger", "payments"]);
    const summary = readFileSync(join(out, "summary.md"), "utf8");
    expect(summary).toContain("## Cross-Service Correlations\n");
    expect(summary).toContain("\n  ledger → payments  lag=0s  pattern=co_failure  confidence=1.00\n");
  });

  test("upstream's layout: single-frame zstd files without frame records and a plain active file", async () => {
    const dir = join(tempDir(), "up");
    writeUpstreamCapture(
      dir,
      { "2024-01-15T100000-000.jsonl.zst": [upstreamLine("2024-01-15T10:00:01+01:00", { app: "api" }, "boom error"), upstreamLine("2024-01-15T10:00:02Z", { app: "api" }, "ok")] },
      { name: "2024-01-15T100500-000.jsonl", lines: [upstreamLine("2024-01-15T10:05:00Z", null, "fatal: disk"), "not json\n"] },
    );
    const j = JSON.parse((await runCli(["triage", dir, "--json", "--jobs", "2", "--exit-zero"], { target })).stdout);
    expect([j.total_lines, j.error_lines]).toEqual([3, 2]);
    expect(j.errors.map((e: { first_seen: string }) => e.first_seen)).toEqual(["2024-01-15T09:00:01Z", "2024-01-15T10:05:00Z"]);
    expect(j.talkers).toEqual({ app: [{ value: "api", total_lines: 2, error_lines: 1 }] });
  });
});

describe.each(cliTargets().map((t) => [t.name, t] as const))("triage on a damaged capture (%s)", (_n, target) => {
  test("a corrupt frame: every intact line is still tallied, the damage is named, --strict fails, any --jobs", async () => {
    const dir = join(tempDir(), "damaged");
    const { total, lost } = await corruptedCapture(dir);
    for (const jobs of ["1", "2"]) {
      const r = await runCli(["triage", dir, "--json", "--exit-zero", "--jobs", jobs], { target });
      expect({ jobs, code: r.code }).toEqual({ jobs, code: 0 });
      expect(JSON.parse(r.stdout).total_lines).toBe(total - lost);
      expect(r.stderr).toMatch(/warning: \S+ offset \d+: zstd frame does not decode/);
      const strict = await runCli(["triage", dir, "--json", "--exit-zero", "--strict", "--jobs", jobs], { target });
      expect(strict.code).toBe(1);
    }
  });
});
