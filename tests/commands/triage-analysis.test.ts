/**
 * The triage building blocks, specified one by one: suggested patterns, tallies, windows, correlation, diagram.
 * Error keywords and signature normalisation are shared with diff (tests/analysis/signature.test.ts).
 */

import { describe, expect, test } from "bun:test";
import { normalizeSignature } from "../../src/analysis/signature/normalize-signature.ts";
import { signatureRegex } from "../../src/analysis/triage/signature-regex.ts";
import { findWindows, type BucketCounts } from "../../src/analysis/triage/windows.ts";
import { correlate, type Correlation } from "../../src/analysis/triage/correlation.ts";
import { sequenceDiagram } from "../../src/analysis/triage/sequence-diagram.ts";
import { TriageTotals } from "../../src/analysis/triage/triage-totals.ts";
import { UnitTally } from "../../src/analysis/triage/unit-tally.ts";
import { isErrorLine } from "../../src/analysis/signature/error-line.ts";
import type { Entry } from "../../src/model/entry.ts";
import { severityOf } from "../../src/analysis/report/incident-report.ts";
import { goDurationText } from "../../src/analysis/report/report-html.ts";
import { shellQuote } from "../../src/analysis/triage/suggested-commands.ts";
import { compileRe2 } from "../../src/regex/re2.ts";

describe("suggested patterns", () => {
  test("signatureRegex finds the lines behind a signature (placeholders become their patterns)", () => {
    const msg = "2024-01-15T10:32:01Z request a1b2c3d4-e5f6-7890-abcd-ef1234567890 to 10.0.1.42:8080 failed (x) after 230ms";
    const sig = normalizeSignature(msg);
    const re = compileRe2(signatureRegex(sig));
    expect(re.test(msg)).toBe(true);
    expect(re.test(msg.replace("8080", "80"))).toBe(false);
    // Limited to 40 characters, whole placeholders only.
    expect(signatureRegex("connection refused to payments:<N> after retry", { maxChars: 40 })).toBe("connection refused to payments:\\b\\d{4,}\\b after");
    // For stored JSON lines: stop before what JSON escapes.
    expect(signatureRegex('bad "quoted" <N>', { rawLine: true })).toBe("bad ");
  });

  test("shell quoting keeps suggested commands runnable", () => {
    expect(shellQuote("./cap-1")).toBe("./cap-1");
    expect(shellQuote("my dir")).toBe("'my dir'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("a\\b{4}")).toBe("'a\\b{4}'");
  });
});

/** What reading parsed entries would count: every entry, errors judged by isErrorLine. */
function addEntries(t: UnitTally, entries: Entry[]): void {
  for (const e of entries) t.addLine(e.sec, e.nsec, e.labels, isErrorLine(e.msg) ? e : null);
}

const buckets = (errors: number[], start = 1_705_312_800): BucketCounts[] => errors.map((e, i) => ({ start: start + i * 60, lines: e + 1, errors: e }));
const iso = (sec: number) => new Date(sec * 1000).toISOString().replace(".000", "");

describe("recommended windows (upstream §11.4)", () => {
  test("peak_error: five buckets with the most errors, first maximum wins", () => {
    const b = buckets([0, 1, 0, 2, 0, 1, 1, 0, 1]);
    const w = findWindows(b, 60, []);
    expect([iso(w.peak_error!.fromSec), iso(w.peak_error!.toSec), w.peak_error!.description]).toEqual(["2024-01-15T10:01:00Z", "2024-01-15T10:06:00Z", "4 errors in 5 minutes"]);
  });

  test("peak_error: fewer than five buckets → all of them; none without errors; thousands separators", () => {
    expect(findWindows(buckets([1200, 3000]), 60, []).peak_error!.description).toBe("4,200 errors in 2 minutes");
    expect(findWindows(buckets([0, 0, 0]), 60, []).peak_error).toBeUndefined();
    expect(findWindows(buckets([0, 3]), 30, []).peak_error!.description).toBe("3 errors in 1 minutes");
    expect(findWindows(buckets([0, 3, 0]), 30, []).peak_error!.description).toBe("3 errors in 90 seconds");
  });

  test("incident_start: the bucket where most signatures first appeared; the earliest on a tie", () => {
    const t0 = 1_705_312_800;
    const w = findWindows([], 60, [t0 + 65, t0 + 70, t0 + 185, t0 + 190, t0 + 30]);
    expect([iso(w.incident_start!.fromSec), iso(w.incident_start!.toSec), w.incident_start!.description]).toEqual([
      "2024-01-15T10:01:00Z",
      "2024-01-15T10:02:00Z",
      "2 new error signatures first appeared",
    ]);
    expect(iso(findWindows([], 300, [t0 + 65, t0 + 400]).incident_start!.fromSec)).toBe("2024-01-15T10:00:00Z");
    expect(findWindows([], 60, []).incident_start).toBeUndefined();
  });

  test("steady_state: longest run at or below the median (index n/2 of the sorted counts), at least 3 buckets", () => {
    const w = findWindows(buckets([0, 1, 0, 2, 0, 1, 1, 0, 1]), 60, []);
    expect([iso(w.steady_state!.fromSec), iso(w.steady_state!.toSec), w.steady_state!.description]).toEqual([
      "2024-01-15T10:04:00Z",
      "2024-01-15T10:09:00Z",
      "5 minutes at or below median error rate",
    ]);
    // Two runs of equal length: the first wins.
    expect(iso(findWindows(buckets([0, 0, 0, 9, 0, 0, 0]), 60, []).steady_state!.fromSec)).toBe("2024-01-15T10:00:00Z");
    expect(findWindows(buckets([0, 0, 9, 0, 0]), 60, []).steady_state).toBeUndefined();
  });
});

/** Errors per 10 s step for a service. */
function service(first: string, counts: Record<number, number>) {
  return { first, steps: new Map(Object.entries(counts).map(([k, v]) => [Number(k), v])) };
}

/** A deterministic irregular series of error counts per step (irregular, so no lag but the designed one fits). */
function noise(seed: number, from: number, n: number, shift = 0): Record<number, number> {
  const out: Record<number, number> = {};
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const v = x % 7;
    if (v > 0) out[from + i + shift] = v;
  }
  return out;
}

describe("cross-service correlation (upstream §11.5)", () => {
  test("co_failure: errors in the same 10 s steps", () => {
    const c = correlate(new Map([
      ["api", service("api: upstream failed", noise(1, 100, 40))],
      ["web", service("web: render failed", noise(1, 100, 40))],
    ]));
    expect(c).toEqual([{ source: "api", target: "web", lag_seconds: 0, pattern: "co_failure", confidence: 1, source_error: "api: upstream failed", target_error: "web: render failed" }]);
  });

  test("cascade_timeout: the target follows later and one error names the other service", () => {
    const c = correlate(new Map([
      ["db", service("db: too many connections", noise(7, 100, 40))],
      ["api", service("timeout calling DB after 5s", noise(7, 100, 40, 2))],
    ]));
    expect(c.map((x) => [x.source, x.target, x.lag_seconds, x.pattern])).toEqual([["db", "api", 20, "cascade_timeout"]]);
    expect(c[0]!.confidence).toBeGreaterThan(0.9);
  });

  test("cascade_error: a lagged correlation without a mention; uncorrelated services are left out", () => {
    const c = correlate(new Map([
      ["payments", service("card declined error", noise(3, 10, 60))],
      ["orders", service("order failed", noise(3, 10, 60, 1))],
      ["search", service("index error", noise(99, 10, 60))],
    ]));
    expect(c.map((x) => [x.source, x.target, x.lag_seconds, x.pattern])).toEqual([["payments", "orders", 10, "cascade_error"]]);
  });

  test("one service, or none correlated: nothing", () => {
    expect(correlate(new Map([["api", service("x", { 1: 1 })]]))).toEqual([]);
  });

  test("sorted by confidence; equal confidences by source then target name", () => {
    const same = { 1: 2, 2: 0, 3: 5 };
    const c = correlate(new Map([
      ["c", service("c err", same)],
      ["a", service("a err", same)],
      ["b", service("b err", same)],
    ]));
    expect(c.map((x) => `${x.source}>${x.target}`)).toEqual(["a>b", "a>c", "b>c"]);
  });
});

describe("sequence diagram (upstream §11.6)", () => {
  const corr = (source: string, target: string, lag: number, confidence: number, pattern: Correlation["pattern"] = "cascade_error"): Correlation => ({
    source, target, lag_seconds: lag, pattern, confidence, source_error: "", target_error: "",
  });

  test("the upstream example, exactly", () => {
    expect(sequenceDiagram([corr("api", "db", 10, 0.85)])).toBe(
      "      api              db\n" + "        |               |\n" + "        |-----[err]----->   cascade_error +10s (85%)\n" + "        |               |\n",
    );
  });

  test("arrows to the left; participants: sources in order of appearance, then targets; arrows by lag", () => {
    const text = sequenceDiagram([corr("a", "b", 0, 0.9, "co_failure"), corr("c", "a", 20, 0.8)]);
    expect(text).toBe(
      [
        "       a               c               b",
        "        |               |               |",
        "        |-------------[err]------------->   co_failure +0s (90%)",
        "        <-----[err]-----|               |   cascade_error +20s (80%)",
        "        |               |               |",
        "",
      ].join("\n"),
    );
  });

  test("a long name widens its column", () => {
    expect(sequenceDiagram([corr("a-very-long-service-name", "db", 10, 0.5)]).split("\n")[0]).toBe("  a-very-long-service-name         db");
  });

  test("none", () => expect(sequenceDiagram([])).toBe("No cross-service correlations detected.\n"));
});

describe("merging and the signature cap", () => {
  const tally = (msgs: string[], sec = 100) => {
    const t = new UnitTally(60);
    addEntries(t, msgs.map((msg, i) => ({ sec: sec + i, nsec: 0, labels: { app: "a" }, msg })));
    return t.toWire();
  };

  test("the earliest occurrence gives first_seen and example; a tie keeps the unit read first", () => {
    const totals = new TriageTotals(100);
    totals.absorb(tally(["error id 1111", "error id 2222"], 500));
    totals.absorb(tally(["error id 3333"], 200));
    totals.absorb(tally(["error id 4444"], 200));
    const [group] = totals.errorGroups().groups;
    expect([group!.signature, group!.count, group!.firstSec, group!.example]).toEqual(["error id <N>", 4, 200, "error id 3333"]);
  });

  test("distinct signatures beyond twice the cap are pruned to the cap as they come; the final cap keeps the top", () => {
    const totals = new TriageTotals(3);
    totals.absorb(tally(["error A", "error A", "error A", "error B", "error B", "error C"]));
    totals.absorb(tally(["error D", "error E", "error F", "error G"]));
    expect(totals.pruned).toBe(true);
    expect(totals.signatures.size).toBe(3);
    expect(totals.capSignatures()).toBe(7);
    expect(totals.rankedSignatures().map(([s, t]) => `${s}=${t.count}`)).toEqual(["error A=3", "error B=2", "error C=1"]);
  });
});

describe("report helpers (upstream §12)", () => {
  const sig = (signature: string) => ({ signature, count: 1, firstSec: 0, firstNsec: 0, example: signature });
  test("severity", () => {
    expect(severityOf([sig("worker OOMKilled")], 0.1)).toBe("high");
    expect(severityOf([sig("panic: nil map")], 0)).toBe("high");
    expect(severityOf([sig("core dumped")], 0)).toBe("high");
    expect(severityOf([sig("Panic (not case-insensitive)")], 0.5)).toBe("low");
    expect(severityOf([], 5.1)).toBe("high");
    expect(severityOf([], 5)).toBe("medium");
    expect(severityOf([], 1.01)).toBe("medium");
    expect(severityOf([], 1)).toBe("low");
  });
  test("Go duration text", () => {
    expect([goDurationText(2), goDurationText(480), goDurationText(3723.9), goDurationText(0)]).toEqual(["2s", "8m0s", "1h2m3s", "0s"]);
  });
});
