import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import type { Entry } from "../../src/model/entry.ts";
import { mulberry32 } from "../../scripts/bench/shared/prng.ts";
import { app, T0 } from "./triage-fixtures.ts";
import { signatureRegex } from "../../src/analysis/triage/signature-regex.ts";

const hex = (r: () => number, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");

/**
 * The capture: logfmt lines from three services, a few real errors each repeated with a different
 * `trace_id=…` and `duration_ms=…` (and order number, user) every time, among many ordinary lines.
 */
function logfmtEntries(): { entries: Entry[]; errors: Map<string, number> } {
  const r = mulberry32(15);
  const entries: Entry[] = [];
  const errors = new Map<string, number>();
  const kinds: [string, string, string, (r: () => number) => string][] = [
    ["payments", "payment failed", 'level=error msg="payment failed" reason=card_declined', (r) => `order=${Math.floor(r() * 1e6)}`],
    ["payments", "refund timeout", 'level=error msg="refund timeout" provider=acme', (r) => `amount=${(r() * 500).toFixed(2)}`],
    ["orders", "inventory lookup failed", 'level=error msg="inventory lookup failed" sku_count=3', (r) => `user=${["ann", "bob", "cy"][Math.floor(r() * 3)]}`],
    ["gateway", "upstream connect error", 'level=error msg="upstream connect error or disconnect/reset before headers"', (r) => `retry=${Math.floor(r() * 4)}`],
  ];
  for (let i = 0; i < 24_000; i++) {
    const sec = T0 + Math.floor(i / 20);
    const nsec = (i % 20) * 50_000_000;
    const ts = new Date((sec + nsec / 1e9) * 1000).toISOString();
    if (r() < 0.15) {
      const [service, name, text, extra] = kinds[Math.floor(r() * kinds.length)]!;
      errors.set(name, (errors.get(name) ?? 0) + 1);
      entries.push({ sec, nsec, labels: app(service), msg: `ts=${ts} ${text} trace_id=${hex(r, 20)} duration_ms=${Math.floor(r() * 900)} ${extra(r)}` });
    } else {
      entries.push({ sec, nsec, labels: app(["payments", "orders", "gateway"][i % 3]!), msg: `ts=${ts} level=info msg="request served" path=/api/v1/items/${i % 97} trace_id=${hex(r, 20)} duration_ms=${Math.floor(r() * 90)}` });
    }
  }
  return { entries, errors };
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("triage with log patterns (%s)", (_n, target) => {
  const { entries, errors } = logfmtEntries();
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir(), "logfmt");
    await writeOurCapture(dir, entries, { maxFileBytes: 700_000, frameBytes: 12_000 });
  });

  test("one signature per real error, counted exactly, however its trace_id and duration_ms vary", async () => {
    const r = await runCli(["triage", dir, "--json", "--exit-zero"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("capped");
    const j = JSON.parse(r.stdout);
    expect(j.error_lines).toBe([...errors.values()].reduce((a, b) => a + b, 0));
    expect(j.errors).toHaveLength(errors.size);
    const byMessage = new Map<string, number>(j.errors.map((e: { signature: string; count: number }) => [/msg="([^"]*)"/.exec(e.signature)![1], e.count]));
    expect(byMessage).toEqual(new Map([...errors].map(([name, n]) => [name.startsWith("upstream") ? "upstream connect error or disconnect/reset before headers" : name, n])));
    // Variable parts show as masks or <*>; the example is a real line.
    const payment = j.errors.find((e: { signature: string }) => e.signature.includes("payment failed"));
    expect(payment.signature).toBe('ts=<TS> level=error msg="payment failed" reason=card_declined trace_id=<ID> duration_ms=<NUM> order=<NUM>');
    expect(payment.example).toMatch(/^ts=\S+ level=error msg="payment failed" reason=card_declined trace_id=[0-9a-f]{20} duration_ms=\d+ order=\d+$/);
    // The grep report suggests for the top signature finds exactly its lines.
    const top = j.errors[0];
    const g = await runCli(["grep", signatureRegex(top.signature), dir, "--format", "text"], { target });
    expect(g.stdout.trim().split("\n")).toHaveLength(top.count);
    const report = JSON.parse((await runCli(["report", dir, "--json"], { target })).stdout);
    expect(report.suggested_commands).toContain(`logtap grep '${signatureRegex(top.signature)}' ${dir} --format text`);
    // Upstream's normalisation alone could not fold them: each error line had its own signature.
    expect(new Set(entries.filter((e) => e.msg.includes("level=error")).map((e) => e.msg.replace(/ts=\S+ /, ""))).size).toBeGreaterThan(3000);
  });

  test("--jobs 1, 2 and 3 give byte-identical results on a multi-file, multi-frame capture", async () => {
    expect(readIndex(dir).length).toBeGreaterThan(2);
    expect(readIndex(dir)[0]!.frames!.length).toBeGreaterThan(16);
    const runs = await Promise.all(["1", "2", "3"].map((jobs) => runCli(["triage", dir, "--json", "--exit-zero", "--jobs", jobs], { target })));
    for (const r of runs) expect(r.code).toBe(0);
    expect(runs[1]!.stdout).toBe(runs[0]!.stdout);
    expect(runs[2]!.stdout).toBe(runs[0]!.stdout);
    const report = await Promise.all(["1", "3"].map((jobs) => runCli(["report", dir, "--json", "--jobs", jobs], { target })));
    expect(report[1]!.stdout).toBe(report[0]!.stdout);
    expect(JSON.parse(report[0]!.stdout).triage.top_errors).toHaveLength(errors.size);
  });
});
