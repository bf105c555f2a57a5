import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Entry } from "../../src/model/entry.ts";
import { detectSkew, estimateOffset, type SkewSource } from "../../src/analysis/clock/estimate-offset.ts";
import { CaptureReader } from "../../src/capture/reader/capture-reader.ts";
import { cliTargets, primaryTarget, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { capture, type Line } from "./diff-fixtures.ts";

function source(label: string, lines: number, sigs: Record<string, number>, startedSec: number | null = 0): SkewSource {
  return {
    label,
    lines,
    firstSeen: new Map(Object.entries(sigs).map(([k, sec]) => [k, { firstSec: sec, firstNsec: 0 }])),
    started: startedSec === null ? null : { sec: startedSec, nsec: 0 },
  };
}

describe("clock-skew estimation (§14.1)", () => {
  test("median of the shared signatures' offsets; confidence max(0.5, min(k/5, 1))", () => {
    const sigs = (n: number, shift: (i: number) => number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`e${i}`, 100 + shift(i)]));
    const ref = source("ref", 10, sigs(6, () => 0));
    const confidences = [1, 2, 3, 4, 5, 6].map((k) => estimateOffset(ref, source("s", 1, sigs(k, () => 2)))!.confidence);
    expect(confidences).toEqual([0.5, 0.5, 0.6, 0.8, 1, 1]);
    // Offsets (ref − src) of -1, -5, -2 s: sorted [-5, -2, -1], element ⌊3/2⌋ = -2 s.
    const est = estimateOffset(ref, source("s", 1, { e0: 101, e1: 105, e2: 102, other: 7 }));
    expect(est).toEqual({ offsetNs: -2e9, confidence: 0.6, method: "error_signature" });
    // Even count: element ⌊k/2⌋, the upper of the two middle values.
    expect(estimateOffset(ref, source("s", 1, { e0: 101, e1: 104 }))!.offsetNs).toBe(-1e9); // sorted [-4, -1], element 1
  });

  test("fallback: metadata starts (0.3), needing both; nothing otherwise", () => {
    expect(estimateOffset(source("r", 5, { a: 1 }, 1000), source("s", 5, { b: 1 }, 1010))).toEqual({ offsetNs: -10e9, confidence: 0.3, method: "metadata_overlap" });
    expect(estimateOffset(source("r", 5, {}, 1000), source("s", 5, {}, null))).toBeNull();
  });

  test("reference = most lines, the first on a tie; beyond 60 s is skipped; offset_ms truncates toward zero", () => {
    const r = detectSkew([
      source("a", 5, { x: 100 }),
      source("b", 5, { x: 101.0005 }),
      source("c", 1, { x: 200 }),
      source("d", 1, { x: 160 }),
      source("e", 1, { y: 0 }, null),
    ]);
    expect(r.reference).toBe(0);
    expect(r.corrections.map((c) => c.correction)).toEqual([
      { source: "b", offset_ms: -1000, confidence: 0.5, method: "error_signature" },
      { source: "d", offset_ms: -60000, confidence: 0.5, method: "error_signature" },
    ]);
    expect(r.tooLarge).toEqual([{ index: 2, offsetNs: -100e9 }]);
    expect(detectSkew([source("a", 1, {}), source("b", 2, {})]).reference).toBe(1);
  });
});

const BASE_TEXT = (sec: number) => `2025-01-15T10:00:${String(sec).padStart(2, "0")}Z`;

async function entriesOf(dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const b of new CaptureReader(dir).batches()) out.push(...b.entries);
  return out;
}

/** Upstream's contract example: A (api, 4 lines, the error at +1 s), B (web, 3 lines, the same error at +4 s). */
async function example(root: string) {
  const a: Line[] = [
    [0, "api", "GET / 200"],
    [1, "api", "ERROR: connection refused"],
    [2, "api", "GET / 200"],
    [3, "api", "GET / 200"],
  ];
  const b: Line[] = [
    [3, "web", "GET /w 200"],
    [4, "web", "ERROR: connection refused"],
    [5, "web", "GET /w 200"],
  ];
  return { a: await capture(root, "a", a), b: await capture(root, "b", b) };
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("merge --clock-correct (%s)", (_name, t) => {
  test("the §14.1 example: B corrected by -3000 ms, confidence 0.5, error_signature", async () => {
    const root = tempDir();
    const { a, b } = await example(root);
    const out = join(root, "merged");
    const r = await runCli(["merge", a, b, "-o", out, "--clock-correct", "--json"], { target: t });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["bytes", "clock_corrections", "entries", "files", "output", "sources"]);
    expect(doc.clock_corrections).toEqual([{ source: b, offset_ms: -3000, confidence: 0.5, method: "error_signature" }]);
    expect(doc.entries).toBe(7);
    // A's file copied as it is, B replaced by its corrected copy; the temporary capture is gone.
    const names = readdirSync(out, { withFileTypes: true });
    expect(names.filter((d) => d.isDirectory())).toEqual([]);
    expect(names.map((d) => d.name).filter((n) => n.startsWith("corrected-"))).toEqual(["corrected-000.jsonl.zst"]);
    const web = (await entriesOf(out)).filter((e) => e.labels.app === "web");
    expect(web.map((e) => [e.sec - 1_736_935_200, e.msg])).toEqual([
      [0, "GET /w 200"],
      [1, "ERROR: connection refused"],
      [2, "GET /w 200"],
    ]);
    const meta = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8"));
    expect([meta.started, meta.total_lines]).toEqual([BASE_TEXT(0), 7]);
  });

  test("text mode prints each correction", async () => {
    const root = tempDir();
    const { a, b } = await example(root);
    const out = join(root, "merged");
    const r = await runCli(["merge", a, b, "-o", out, "--clock-correct"], { target: t });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\n  Clock correction: ${b} offset=-3000ms confidence=0.50 method=error_signature\n`);
  });
});

describe("merge --clock-correct: fallback, limit, no skew", () => {
  const target = primaryTarget();

  test("no shared signature: metadata starts, confidence 0.3", async () => {
    const root = tempDir();
    const a = await capture(root, "a", [[0, "api", "ok"], [1, "api", "ok"]]);
    const b = await capture(root, "b", [[20, "web", "ok"]], { started: BASE_TEXT(10) });
    const r = await runCli(["merge", a, b, "-o", join(root, "m"), "--clock-correct", "--json"], { target });
    expect(JSON.parse(r.stdout).clock_corrections).toEqual([{ source: b, offset_ms: -10000, confidence: 0.3, method: "metadata_overlap" }]);
    const web = (await entriesOf(join(root, "m"))).find((e) => e.labels.app === "web")!;
    expect(web.sec - 1_736_935_200).toBe(10);
  });

  test("beyond 60 s: upstream's stderr note, no correction, data unchanged", async () => {
    const root = tempDir();
    const a = await capture(root, "a", [[0, "api", "error: x"], [1, "api", "ok"]]);
    const b = await capture(root, "b", [[90, "web", "error: x"]]);
    const r = await runCli(["merge", a, b, "-o", join(root, "m"), "--clock-correct", "--json"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`\nClock skew for ${b} exceeds 60s (-90.0s), skipping correction\n`);
    expect(JSON.parse(r.stdout).clock_corrections).toBeUndefined();
    expect((await entriesOf(join(root, "m"))).map((e) => e.sec - 1_736_935_200)).toEqual([0, 1, 90]);
  });

  test("no skew: a 0 ms correction is reported, nothing is rewritten", async () => {
    const root = tempDir();
    const a = await capture(root, "a", [[0, "api", "error: x"], [1, "api", "ok"]]);
    const b = await capture(root, "b", [[0, "web", "error: x"]]);
    const r = await runCli(["merge", a, b, "-o", join(root, "m"), "--clock-correct", "--json"], { target });
    expect(JSON.parse(r.stdout).clock_corrections).toEqual([{ source: b, offset_ms: 0, confidence: 0.5, method: "error_signature" }]);
    expect(readdirSync(join(root, "m")).some((n) => n.startsWith("corrected-"))).toBe(false);
  });
});
