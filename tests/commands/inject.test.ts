import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Entry, Labels } from "../../src/model/entry.ts";
import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import { InjectFaultsStream } from "../../pipeline/stages/inject-faults.ts";
import { parseFaultSpec, parseInjectFlag } from "../../src/analysis/inject/fault-spec.ts";
import { Injector } from "../../src/analysis/inject/injector.ts";
import { CaptureReader } from "../../src/capture/reader/capture-reader.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import { cliTargets, primaryTarget, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { BASE, capture } from "./diff-fixtures.ts";

const api = Object.freeze({ app: "api" });
const web = Object.freeze({ app: "web" });
const at = (sec: number, labels: Labels = api, msg = `m${sec}`): Entry => ({ sec: BASE + sec, nsec: 0, labels, msg });
const window = { at: { sec: BASE + 10, nsec: 0 }, durationNs: 60e9 };

// Upstream §6, written out: error-spike's three messages in order, and latency-spike's suffix.
const SPIKE_MSGS = ["error: connection timeout", "error: 503 service unavailable", "panic: runtime error"];
const SLOW = " [SLOW: 5.2s]";

describe("fault specs (§6)", () => {
  test("the three kinds", () => {
    expect(parseFaultSpec("error-spike")).toEqual({ kind: "error-spike" });
    expect(parseFaultSpec("service-down=payment")).toEqual({ kind: "service-down", service: "payment" });
    expect(parseFaultSpec("latency-spike=a=b")).toEqual({ kind: "latency-spike", service: "a=b" });
  });

  test("upstream's errors, wrapped as usage errors", () => {
    expect(() => parseFaultSpec("error-spike=x")).toThrow("error-spike does not accept a service parameter");
    expect(() => parseFaultSpec("service-down")).toThrow("service-down requires service name: service-down=<service>");
    expect(() => parseFaultSpec("latency-spike=")).toThrow("latency-spike requires service name: latency-spike=<service>");
    expect(() => parseFaultSpec("boom")).toThrow('unknown fault type "boom" (valid: error-spike, service-down=<svc>, latency-spike=<svc>)');
    expect(() => parseInjectFlag("error-spike\u0000nope=1")).toThrow('invalid --inject "nope=1": unknown fault type "nope"');
    expect(parseInjectFlag("error-spike\u0000service-down=a,b")).toEqual([{ kind: "error-spike" }, { kind: "service-down", service: "a,b" }]);
  });
});

describe("Injector semantics (§6)", () => {
  test("the window is [at, at + duration): start inclusive, end exclusive, to the nanosecond", () => {
    const inj = new Injector([{ kind: "error-spike" }], window);
    expect(inj.apply(at(9)).length).toBe(1);
    expect(inj.apply({ ...at(9), nsec: 999_999_999 }).length).toBe(1);
    expect(inj.apply(at(10)).length).toBe(4);
    expect(inj.apply({ ...at(69), nsec: 999_999_999 }).length).toBe(4);
    expect(inj.apply(at(70)).length).toBe(1);
  });

  test("error-spike: the entry, then three synthetic errors with its ts and labels plus _injected", () => {
    const e = at(20, Object.freeze({ app: "api", pod: "p1" }));
    const out = new Injector([{ kind: "error-spike" }], window).apply(e);
    expect(out[0]).toBe(e);
    expect(out.slice(1).map((x) => x.msg)).toEqual([...SPIKE_MSGS]);
    for (const x of out.slice(1)) expect(x).toEqual({ sec: e.sec, nsec: 0, labels: { app: "api", pod: "p1", _injected: "true" }, msg: x.msg });
    // One marked label object per source label set, shared by every injected entry.
    expect(out[1]!.labels).toBe(out[3]!.labels);
  });

  test("service-down: entries of the service vanish inside the window only; others pass", () => {
    const inj = new Injector([{ kind: "service-down", service: "api" }], window);
    expect(inj.apply(at(20))).toEqual([]);
    expect(inj.apply(at(20, web))).toEqual([at(20, web)]);
    expect(inj.apply(at(5))).toEqual([at(5)]);
  });

  test("latency-spike: the service's entries get the SLOW suffix and _injected", () => {
    const inj = new Injector([{ kind: "latency-spike", service: "api" }], window);
    expect(inj.apply(at(20, api, "GET /"))).toEqual([{ sec: BASE + 20, nsec: 0, labels: { app: "api", _injected: "true" }, msg: "GET /" + SLOW }]);
    expect(inj.apply(at(20, web))).toEqual([at(20, web)]);
  });

  test("faults apply in flag order to the running list", () => {
    // A spike then an outage: the outage removes the synthetic entries of the service too.
    expect(new Injector([{ kind: "error-spike" }, { kind: "service-down", service: "api" }], window).apply(at(20))).toEqual([]);
    // An outage then a spike: the spike still appends its three entries.
    expect(new Injector([{ kind: "service-down", service: "api" }, { kind: "error-spike" }], window).apply(at(20)).map((x) => x.msg)).toEqual([...SPIKE_MSGS]);
    // A spike then latency: every entry of the service, synthetic ones included, is slowed.
    const slowed = new Injector([{ kind: "error-spike" }, { kind: "latency-spike", service: "api" }], window).apply(at(20));
    expect(slowed.map((x) => x.msg)).toEqual(["m20", ...SPIKE_MSGS].map((m) => m + SLOW));
  });

  test("the stage counts what came in and went out and drops stored line texts", async () => {
    const stage = new InjectFaultsStream(new Injector([{ kind: "error-spike" }, { kind: "service-down", service: "web" }], window));
    const input: CaptureBatch[] = [{ file: "f", entries: [at(1), at(20), at(21, web)], raws: ["a", "b", "c"] }];
    const out: CaptureBatch[] = [];
    await new ReadableStream<CaptureBatch>({
      start(c) {
        for (const b of input) c.enqueue(b);
        c.close();
      },
    })
      .pipeThrough(stage)
      .pipeTo(new WritableStream({ write: (b) => void out.push(b) }));
    expect(out).toHaveLength(1);
    expect(out[0]!.raws).toBeUndefined();
    expect(out[0]!.file).toBe("f");
    expect(out[0]!.entries.map((e) => e.msg)).toEqual(["m1", "m20", ...SPIKE_MSGS]);
    expect(stage.counts).toEqual({ original: 3, total: 5 });
  });
});

async function readAll(dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const b of new CaptureReader(dir).batches()) out.push(...b.entries);
  return out;
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("open --inject-out (%s)", (_name, t) => {
  test("upstream's example: 2 lines + error-spike at the first ts → 8 lines, JSON summary", async () => {
    const root = tempDir();
    const src = await capture(root, "src", [
      [0, "api", "GET / 200"],
      [30, "web", "GET /x 200"],
    ]);
    const out = join(root, "out");
    const r = await runCli(["open", src, "--inject", "error-spike", "--at", "2025-01-15T10:00:00Z", "--duration", "1m", "--inject-out", out, "--json"], { target: t });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      JSON.stringify({ source: src, output: out, original_lines: 2, injected_lines: 6, total_lines: 8, faults_applied: 1 }, null, 2) + "\n",
    );
    // A normal capture: zstd data file named injected-000, an index line, metadata from what was written.
    expect(readdirSync(out).sort()).toEqual(["index.jsonl", "injected-000.jsonl.zst", "metadata.json"]);
    expect(readIndex(out).map((e) => [e.file, e.lines])).toEqual([["injected-000.jsonl.zst", 8]]);
    const entries = await readAll(out);
    expect(entries.map((e) => e.msg)).toEqual(["GET / 200", ...SPIKE_MSGS, "GET /x 200", ...SPIKE_MSGS]);
    expect(entries[1]!.labels).toEqual({ app: "api", _injected: "true" });
    const meta = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8"));
    expect(meta).toMatchObject({ version: 1, format: "jsonl", started: "2025-01-15T10:00:00Z", stopped: "2025-01-15T10:00:30Z", total_lines: 8 });
    expect(meta.labels_seen).toEqual(["_injected", "app"]);
  });

  test("service-down: negative injected_lines; text summary; filters apply first", async () => {
    const root = tempDir();
    const src = await capture(root, "src", [
      [0, "api", "a0"],
      [1, "web", "w1"],
      [2, "api", "a2"],
      [100, "api", "a100"], // after the default 1m window from the capture start
      [101, "batch", "b101"],
    ]);
    const out = join(root, "out");
    const r = await runCli(["open", src, "--inject", "service-down=api", "--label", "app=api,app=api", "--inject-out", out], { target: t });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Injected 1 faults into ${src}\nOriginal: 3 lines, Injected: -2 lines, Total: 1 lines\nOutput: ${out}\n`);
    expect((await readAll(out)).map((e) => e.msg)).toEqual(["a100"]);
  });
});

describe("open --inject: latency, replay and errors", () => {
  const target = primaryTarget();

  test("latency-spike with --at HH:MM and --duration; --format json is the JSON alias", async () => {
    const root = tempDir();
    const src = await capture(root, "src", [
      [0, "api", "a0"],
      [60, "api", "a60"],
      [90, "web", "w90"],
      [120, "api", "a120"],
    ]);
    const out = join(root, "out");
    const r = await runCli(["open", src, "--inject", "latency-spike=api", "--at", "10:01", "--duration", "1m", "--inject-out", out, "--format", "json"], { target });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ original_lines: 4, injected_lines: 0, total_lines: 4 });
    expect((await readAll(out)).map((e) => e.msg)).toEqual(["a0", "a60" + SLOW, "w90", "a120"]);
  });

  test("plain replay applies the faults too", async () => {
    const root = tempDir();
    const src = await capture(root, "src", [[0, "api", "a0"]]);
    const r = await runCli(["open", src, "--headless", "--speed", "0", "--format", "jsonl", "--inject", "error-spike"], { target });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").map((l) => JSON.parse(l).msg)).toEqual(["a0", ...SPIKE_MSGS]);
  });

  test("errors: bad spec, --at and --duration (2); same source and output (2); --inject-out without --inject (2)", async () => {
    const root = tempDir();
    const src = await capture(root, "src", [[0, "api", "a0"]]);
    const out = join(root, "out");
    const cases: [string[], string][] = [
      [["--inject", "service-down", "--inject-out", out], 'invalid --inject "service-down": service-down requires service name: service-down=<service>'],
      [["--inject", "error-spike", "--at", "yesterday", "--inject-out", out], 'invalid --at: unrecognized time format: "yesterday"'],
      [["--inject", "error-spike", "--duration", "soon", "--inject-out", out], "invalid --duration: "],
      [["--inject", "error-spike", "--inject-out", `${src}/.`], "source and destination cannot be the same"],
      [["--inject-out", out], "--inject-out requires at least one --inject"],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(["open", src, ...args], { target });
      expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(msg)]);
    }
    expect(readdirSync(root)).toEqual(["src"]);
  });
});
