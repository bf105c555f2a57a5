/**
 * Timestamps far from the rest (issue 10 §3): a capture made by the real receiver from live lines plus a 2009 line
 * (the README's old curl) and one a month ahead. The receiver counts the skew in /metrics, its status line and the
 * audit trail; inspect, triage and report draw their timelines over the live lines and name the two outliers.
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { upstreamLine, writeOurCapture, writeUpstreamCapture } from "../support/fixture-capture.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import { formatInstant } from "../../src/capture/timestamp.ts";
import { app, T0 } from "./triage-fixtures.ts";

const NOW = Math.floor(Date.now() / 1000);
const OLD_NS = "1234567890000000000";
const OLD_TS = "2009-02-13T23:31:30Z";
const FUTURE = NOW + 30 * 86400;
const LIVE = 600;
const ns = (sec: number, nsec = 0) => `${BigInt(sec) * 1_000_000_000n + BigInt(nsec)}`;

/** Timeline rows of inspect's text output: the lines after the heading that start with two spaces. */
function timelineRows(text: string): string[] {
  const lines = text.split("\n");
  const at = lines.findIndex((l) => l.startsWith("Timeline ("));
  const rows: string[] = [];
  for (let i = at + 1; i < lines.length && lines[i]!.startsWith("  "); i++) rows.push(lines[i]!);
  return rows;
}

let dir: string;
let metrics: Record<string, number>;
let stderr: string;

beforeAll(async () => {
  const r = await startReceiver(["--stats-interval", "100ms"]);
  // Live lines over the last five minutes, with the two strays in the middle of a push, as a shipper sends them.
  const live = (from: number, n: number, appName: string) =>
    Array.from({ length: n }, (_, i) => [ns(NOW - 300 + Math.floor(((from + i) * 300) / LIVE), i), `${appName} request ${from + i} ok`] as [string, string]);
  const first = [{ labels: { app: "web" }, values: [...live(0, 300, "web"), [OLD_NS, "hello world"] as [string, string], [ns(FUTURE), "clock ahead: timeout"] as [string, string]] }];
  expect((await push(r.url, lokiJson(first), { "content-type": "application/json" })).status).toBe(204);
  expect((await push(r.url, lokiJson([{ labels: { app: "api" }, values: live(300, 300, "api") }]), { "content-type": "application/json" })).status).toBe(204);
  const deadline = Date.now() + 10_000;
  while (!/602 received.* skewed/.test(r.stderr()) && Date.now() < deadline) await Bun.sleep(50);
  metrics = await r.metrics();
  const stop = await r.stop();
  expect(stop.code).toBe(0);
  stderr = stop.stderr;
  dir = r.dir;
});

describe("the receiver counts entries whose timestamps are far from their arrival, and keeps them", () => {
  test("/metrics and the status line", () => {
    expect(metrics['logtap_logs_skewed_total{direction="old"}']).toBe(1);
    expect(metrics['logtap_logs_skewed_total{direction="future"}']).toBe(1);
    expect(metrics.logtap_logs_received_total).toBe(LIVE + 2);
    expect(stderr).toMatch(/recv: 602 received \([\d,]+\/s\), [\d,]+ written, 0 dropped, 2 skewed \(1 > 7d old, 1 > 10m ahead\), queue /);
  });

  test("audit.jsonl: the push that carried them, and the totals at the stop", () => {
    const events = readFileSync(join(dir, "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const pushes = events.filter((e) => e.event === "loki_push_received");
    expect(pushes).toHaveLength(2);
    expect(pushes[0]).toMatchObject({ lines: 302, skewed_old: 1, skewed_future: 1, skewed_from: OLD_TS, skewed_to: formatInstant(FUTURE, 0) });
    // Zero counts are left out, as every audit field is.
    expect(Object.keys(pushes[1])).toEqual(["timestamp", "event", "remote_ip", "lines", "bytes", "duration_ms"]);
    expect(events.at(-1)).toMatchObject({ event: "server_stopped", skewed_old: 1, skewed_future: 1 });
  });

  test("the index keeps upstream's from/to and records the frame's parts", () => {
    const [entry] = readIndex(dir);
    expect(entry!.from).toBe(OLD_TS);
    expect(entry!.to).toBe(formatInstant(FUTURE, 0));
    const split = entry!.frames!.filter((f) => f.parts);
    expect(split).toHaveLength(1);
    const parts = split[0]!.parts!;
    expect(parts.map((p) => p.lines)).toEqual([1, split[0]!.lines - 2, 1]);
    expect(parts[0]).toEqual({ lines: 1, from: OLD_TS, to: OLD_TS });
    expect(parts[2]!.from).toBe(formatInstant(FUTURE, 0));
    expect(readFileSync(join(dir, "index.jsonl"), "utf8")).toContain(`"parts":[{"lines":1,"from":"${OLD_TS}","to":"${OLD_TS}"}`);
  });
});

describe.each(cliTargets().map((t) => [t.name, t] as const))("timelines over the bulk (%s)", (_n, target) => {
  test("inspect: a screenful of minutes, the two outliers named", async () => {
    const r = await runCli(["inspect", dir], { target });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Timeline (1-min buckets):\n");
    const rows = timelineRows(r.stdout);
    expect(rows.length).toBeLessThanOrEqual(2);
    const end = r.stdout.split("\n").slice(-4);
    expect(end[0]).toBe("Outliers: 2 lines far from the rest, not in the timeline");
    expect(end[1]).toBe(`  before: 1 line             2009-02-13 23:31:30`);
    expect(end[2]).toBe(`  after:  1 line             ${formatInstant(FUTURE, 0).replace("T", " ").replace("Z", "")}`);
  });

  test("inspect --json: upstream's keys and meanings, plus outliers", async () => {
    const j = JSON.parse((await runCli(["inspect", dir, "--json"], { target })).stdout);
    expect(Object.keys(j)).toEqual(["dir", "metadata", "files", "total_lines", "total_bytes", "disk_size", "data_from", "data_to", "lines_per_sec", "bucket_width", "labels", "timeline", "outliers"]);
    expect([j.total_lines, j.data_from, j.data_to]).toEqual([LIVE + 2, OLD_TS, formatInstant(FUTURE, 0)]);
    expect(j.bucket_width).toBe("1-min buckets");
    expect(j.timeline.length).toBeLessThanOrEqual(7);
    expect(j.timeline.reduce((n: number, b: { lines: number }) => n + b.lines, 0)).toBe(LIVE);
    expect(j.outliers).toEqual({
      lines: 2,
      before: { lines: 1, from: OLD_TS, to: OLD_TS },
      after: { lines: 1, from: formatInstant(FUTURE, 0), to: formatInstant(FUTURE, 0) },
    });
  });

  test("triage: no bucket cap, windows inside the bulk, outliers in JSON, summary.md and the chart", async () => {
    const r = await runCli(["triage", dir, "--json", "--exit-zero"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("capped");
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(["dir", "metadata", "timeline", "outliers", "errors", "talkers", "windows", "total_lines", "error_lines"]);
    expect(j.timeline.length).toBeLessThanOrEqual(7);
    expect(j.timeline.reduce((n: number, b: { total_lines: number }) => n + b.total_lines, 0)).toBe(LIVE);
    const minute = (sec: number) => formatInstant(sec - (sec % 60), 0);
    expect(j.outliers).toEqual({
      lines: 2,
      error_lines: 1,
      before: { lines: 1, error_lines: 0, from: "2009-02-13T23:31:00Z", to: "2009-02-13T23:32:00Z" },
      after: { lines: 1, error_lines: 1, from: minute(FUTURE), to: minute(FUTURE + 60) },
    });
    // The outlying error still counts as an error; it only does not start an incident a month from now.
    expect([j.total_lines, j.error_lines]).toEqual([LIVE + 2, 1]);
    expect(j.windows.incident_start).toBeUndefined();

    const out = join(tempDir(), "triage-out");
    expect((await runCli(["triage", dir, "--out", out, "--html", "--exit-zero"], { target })).code).toBe(0);
    const summary = readFileSync(join(out, "summary.md"), "utf8");
    expect(summary).toContain(
      `\nOutliers: 2 lines (1 errors) far from the rest are left out of the timeline: 1 line before it (2009-02-13T23:31:00Z — 2009-02-13T23:32:00Z), 1 line after it (${minute(FUTURE)} — ${minute(FUTURE + 60)})\n`,
    );
    expect(readFileSync(join(out, "timeline.csv"), "utf8").trim().split("\n").length).toBe(j.timeline.length + 1);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain('<p class="meta outliers">2 lines (1 errors) far from the rest are left out of the timeline: 1 line before it (2009-02-13T23:31:00Z');
    expect(html).toContain("<svg");
  });

  test("report: outliers in report.json and the embedded timeline", async () => {
    const j = JSON.parse((await runCli(["report", dir, "--json"], { target })).stdout);
    expect(Object.keys(j.triage)).toEqual(["total_lines", "error_lines", "error_rate_pct", "top_errors", "windows", "outliers"]);
    expect(j.triage.outliers.lines).toBe(2);
    expect(j.capture.entries).toBe(LIVE + 2);
    const out = join(tempDir(), "report-out");
    expect((await runCli(["report", dir, "--out", out], { target })).code).toBe(0);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain('<p class="meta outliers">2 lines (1 errors) far from the rest');
  });
});

describe.each(cliTargets().map((t) => [t.name, t] as const))("captures without frame parts (%s)", (_n, target) => {
  test("upstream's layout: a closed file whose first line is from 2009 (its index range spans 17 years)", async () => {
    const up = join(tempDir(), "up");
    const line = (t: string, a: string, msg: string) => upstreamLine(t, { app: a }, msg);
    const mins = (from: number, n: number) => Array.from({ length: n }, (_, i) => `2024-01-15T10:${String(from + i).padStart(2, "0")}:05+01:00`);
    writeUpstreamCapture(
      up,
      {
        "2024-01-15T093201-000.jsonl.zst": mins(32, 10).map((t) => line(t, "api", "ok")),
        "2024-01-15T094300-000.jsonl.zst": [line("2009-02-14T00:31:30+01:00", "web", "hello world"), ...mins(43, 10).map((t) => line(t, "web", "ok"))],
      },
      { name: "2024-01-15T095400-000.jsonl", lines: mins(54, 3).map((t) => line(t, "api", "request failed")) },
    );
    const text = (await runCli(["inspect", up], { target })).stdout;
    expect(text).toContain("Timeline (1-min buckets):\n");
    expect(timelineRows(text)).toEqual([expect.stringMatching(/^  09:32 /)]);
    // From the index alone only the far end of the range is known to be a line: "at least".
    expect(text.endsWith("Outliers: at least 1 line far from the rest, not in the timeline\n  before: at least 1 line    2009-02-13 23:31:30\n")).toBe(true);
    const j = JSON.parse((await runCli(["inspect", up, "--json"], { target })).stdout);
    expect(j.data_from).toBe(OLD_TS);
    expect(j.outliers).toEqual({ lines: 1, before: { lines: 1, from: OLD_TS, to: OLD_TS, at_least: true } });
    expect(j.timeline.reduce((n: number, b: { lines: number }) => n + b.lines, 0)).toBe(20);
    // triage reads the lines, so it knows exactly.
    const t = JSON.parse((await runCli(["triage", up, "--json", "--exit-zero"], { target })).stdout);
    expect(t.outliers).toEqual({ lines: 1, error_lines: 0, before: { lines: 1, error_lines: 0, from: "2009-02-13T23:31:00Z", to: "2009-02-13T23:32:00Z" } });
    expect(t.timeline[0].time).toBe("2024-01-15T09:32:00Z");
    expect(t.timeline.at(-1).time).toBe("2024-01-15T09:56:00Z");
  });

  test("a stray line in the unindexed active file, and a timeline across midnight labelled with dates", async () => {
    const cap = join(tempDir(), "midnight");
    const entries = Array.from({ length: 180 }, (_, i) => ({ sec: T0 + 12.5 * 3600 + i * 60, nsec: 0, labels: app("web"), msg: "tick" }));
    await writeOurCapture(cap, entries, { metadata: { started: "2024-01-15T22:30:00Z", stopped: "2024-01-16T01:30:00Z" } });
    await Bun.write(join(cap, "2024-01-16T013000-000.jsonl"), upstreamLine("1970-01-01T00:00:00Z", { app: "web" }, "epoch zero"));
    const r = await runCli(["inspect", cap], { target });
    expect(r.stdout).toContain("Timeline (5-min buckets):\n  2024-01-15 22:30 ");
    expect(timelineRows(r.stdout).map((row) => row.slice(0, 18))).toEqual(["  2024-01-15 22:30", "  2024-01-16 01:00"]);
    expect(r.stdout).toContain("Outliers: 1 line far from the rest, not in the timeline\n  before: 1 line             1970-01-01 00:00:00\n");
  });
});
