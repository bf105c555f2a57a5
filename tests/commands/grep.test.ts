import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { upstreamLine, writeOurCapture, writeUpstreamCapture } from "../support/fixture-capture.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import type { Entry } from "../../src/model/entry.ts";

const api = Object.freeze({ app: "api", env: "prod" });
const web = Object.freeze({ app: "web", env: "prod" });
const T0 = Date.UTC(2025, 0, 15, 10, 0, 0) / 1000;

/** 12 entries, one a minute from 10:00, alternating api/web; "ERROR" at 10:03 (web) and 10:08 (api). */
function fixtureEntries(): Entry[] {
  return Array.from({ length: 12 }, (_, i) => ({
    sec: T0 + i * 60,
    nsec: i === 5 ? 500_000_000 : 0,
    labels: i % 2 === 0 ? api : web,
    msg: i === 3 || i === 8 ? `ERROR request ${i} failed <boom>` : `ok request ${i}`,
  }));
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("grep (%s)", (_n, target) => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir(), "cap");
    await writeOurCapture(dir, fixtureEntries(), { maxFileBytes: 400 });
  });

  test("JSON lines by default: capture lines with Go escaping, in file order; summary on stderr", async () => {
    const r = await runCli(["grep", "ERROR", dir], { target });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '{"ts":"2025-01-15T10:03:00Z","labels":{"app":"web","env":"prod"},"msg":"ERROR request 3 failed \\u003cboom\\u003e"}\n' +
        '{"ts":"2025-01-15T10:08:00Z","labels":{"app":"api","env":"prod"},"msg":"ERROR request 8 failed \\u003cboom\\u003e"}\n',
    );
    expect(r.stderr).toMatch(/^2 matches across 2 files\n$/);
  });

  test("the pattern also matches label values; RE2 (?i) works", async () => {
    expect((await runCli(["grep", "^web$", dir], { target })).stdout.trim().split("\n")).toHaveLength(6);
    expect((await runCli(["grep", "(?i)error request", dir], { target })).stdout.trim().split("\n")).toHaveLength(2);
  });

  test("--from/--to (inclusive, HH:MM and -duration forms) and --label (AND)", async () => {
    const times = async (...a: string[]) => (await runCli(["grep", "request", dir, ...a], { target })).stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l).ts);
    expect(await times("--from", "10:09")).toEqual(["2025-01-15T10:09:00Z", "2025-01-15T10:10:00Z", "2025-01-15T10:11:00Z"]);
    expect(await times("--from", "2025-01-15T10:04:00Z", "--to", "2025-01-15T10:06:00Z")).toEqual(["2025-01-15T10:04:00Z", "2025-01-15T10:05:00.5Z", "2025-01-15T10:06:00Z"]);
    // The capture ends (stopped) at 11:00; -52m means from 10:08.
    expect(await times("--from", "-52m", "--label", "app=api")).toEqual(["2025-01-15T10:08:00Z", "2025-01-15T10:10:00Z"]);
    expect(await times("--label", "app=api,env=prod", "--to", "10:02")).toEqual(["2025-01-15T10:00:00Z", "2025-01-15T10:02:00Z"]);
    expect(await times("--label", "app=api", "--label", "app=web")).toEqual([]);
  });

  test("--count prints per-file counts in scan order", async () => {
    const r = await runCli(["grep", "request", dir, "--count"], { target });
    const rows = r.stdout.trim().split("\n").map((l) => l.split("\t"));
    expect(rows.map((x) => x[0])).toEqual(readIndex(dir).map((e) => e.file));
    expect(rows.reduce((n, x) => n + Number(x[1]), 0)).toBe(12);
  });

  test("--format text: HH:MM:SS.mmm, padded service, sorted by time", async () => {
    const r = await runCli(["grep", "ERROR|request 5", dir, "--format", "text"], { target });
    expect(r.stdout).toBe(
      "10:03:00.000 [web] ERROR request 3 failed <boom>\n10:05:00.500 [web] ok request 5\n10:08:00.000 [api] ERROR request 8 failed <boom>\n",
    );
  });

  test("-C 1: context groups per file with before/after marks, `--` between groups in text", async () => {
    // Files hold 4 entries each (10:00–10:03, 10:04–10:07, 10:08–10:11): each match's neighbour in the next or
    // previous file is not context, since context never crosses a file boundary.
    expect(readIndex(dir).map((e) => e.lines)).toEqual([4, 4, 4]);
    const r = await runCli(["grep", "ERROR", dir, "-C", "1"], { target });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '{"ts":"2025-01-15T10:02:00Z","labels":{"app":"api","env":"prod"},"msg":"ok request 2","context":"before"}\n' +
        '{"ts":"2025-01-15T10:03:00Z","labels":{"app":"web","env":"prod"},"msg":"ERROR request 3 failed \\u003cboom\\u003e"}\n' +
        '{"ts":"2025-01-15T10:08:00Z","labels":{"app":"api","env":"prod"},"msg":"ERROR request 8 failed \\u003cboom\\u003e"}\n' +
        '{"ts":"2025-01-15T10:09:00Z","labels":{"app":"web","env":"prod"},"msg":"ok request 9","context":"after"}\n',
    );
    expect(r.stderr).toMatch(/^2 matches across 2 files\n$/);
    const text = await runCli(["grep", "ERROR", dir, "-C", "1", "--format", "text"], { target });
    expect(text.stdout).toBe(
      "10:02:00.000 [api] ok request 2\n10:03:00.000 [web] ERROR request 3 failed <boom>\n--\n10:08:00.000 [api] ERROR request 8 failed <boom>\n10:09:00.000 [web] ok request 9\n",
    );
    expect(text.stderr).toMatch(/^2 matches across 2 files/);
  });

  test("swapped arguments get upstream's hint; a bad regex is a usage error", async () => {
    const r = await runCli(["grep", dir, "ERROR"], { target });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: '${dir}' is a directory — did you mean: logtap grep "ERROR" ${dir}\n`);
    const bad = await runCli(["grep", "a(b", dir], { target });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid pattern: error parsing regexp: missing closing \)/);
    expect((await runCli(["grep", "(?=x)", dir], { target })).code).toBe(2);
  });

  test("upstream layout: single-frame .zst from another encoder, plain active file, offsets in timestamps", async () => {
    const up = join(tempDir(), "up");
    writeUpstreamCapture(
      up,
      { "2024-01-15T093201-000.jsonl.zst": [upstreamLine("2024-01-15T10:32:05+01:00", { app: "api" }, "needle one"), upstreamLine("2024-01-15T10:32:06+01:00", { app: "api" }, "hay")] },
      { name: "2024-01-15T093512-000.jsonl", lines: [upstreamLine("2024-01-15T10:35:12+01:00", { app: "web" }, "needle two")] },
    );
    const r = await runCli(["grep", "needle", up], { target });
    expect(r.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { ts: "2024-01-15T09:32:05Z", labels: { app: "api" }, msg: "needle one" },
      { ts: "2024-01-15T09:35:12Z", labels: { app: "web" }, msg: "needle two" },
    ]);
  });
});

// The search workers (frame-search-pool.ts) take over literal searches of large captures; forcing them on (threshold 0)
// runs the same checks through them.
const READ_PATHS = [
  ["in-thread", {}],
  ["search workers", { LOGTAP_PARALLEL_SEARCH_MIN_BYTES: "0" }],
] as const;

describe.each(cliTargets().flatMap((t) => READ_PATHS.map(([path, env]) => [t.name, path, t, env] as const)))("damaged captures (%s, %s)", (_n, _p, target, env) => {
  test("a corrupt frame and a truncated file: every intact entry is still returned, the damage is named, --strict fails", async () => {
    const dir = join(tempDir(), "cap");
    const entries: Entry[] = Array.from({ length: 6000 }, (_, i) => ({ sec: T0 + i, nsec: 0, labels: api, msg: `entry ${i}` }));
    await writeOurCapture(dir, entries, { maxFileBytes: 200_000, frameBytes: 16 << 10 });
    const index = readIndex(dir);
    expect(index.length).toBeGreaterThanOrEqual(3);
    // Flip bytes in the middle of one frame of the first file…
    const victim = index[0]!.frames![2]!;
    const p0 = join(dir, index[0]!.file);
    const b0 = readFileSync(p0);
    for (let i = victim.offset + 10; i < victim.offset + 40; i++) b0[i] = b0[i]! ^ 0xff;
    writeFileSync(p0, b0);
    // …and cut the second file in the middle of its last frame.
    const last = index[1]!.frames!.at(-1)!;
    const p1 = join(dir, index[1]!.file);
    writeFileSync(p1, readFileSync(p1).subarray(0, last.offset + 20));
    const expected = 6000 - victim.lines - last.lines;

    for (const args of [["grep", "entry", dir, "--count"], ["open", dir, "--speed", "0", "--format", "jsonl"]]) {
      const r = await runCli(args, { target, env });
      expect(r.code).toBe(0);
      const n = args[0] === "grep" ? r.stdout.trim().split("\n").reduce((s, l) => s + Number(l.split("\t")[1]), 0) : r.stdout.trim().split("\n").length;
      expect({ args: args[0], n }).toEqual({ args: args[0], n: expected });
      expect(r.stderr).toContain(`warning: ${index[0]!.file} offset ${victim.offset}:`);
      expect(r.stderr).toContain(`warning: ${index[1]!.file} offset ${last.offset}:`);
      const strict = await runCli([...args, "--strict"], { target, env });
      expect(strict.code).toBe(1);
      expect(strict.stderr).toMatch(/error: corrupt data in .* \(--strict\)\n$/);
    }
    expect((await runCli(["grep", "entry", dir, "--count"], { target, env })).stderr).toMatch(/matches across \d+ files \(skipped 2 corrupt ranges\)/);
  });

  test("lines that are not entries inside an intact frame: the others are read, the frame is named once, --strict fails", async () => {
    const dir = join(tempDir(), "cap");
    const entries: Entry[] = Array.from({ length: 6000 }, (_, i) => ({ sec: T0 + i, nsec: 0, labels: api, msg: `entry ${i}` }));
    await writeOurCapture(dir, entries, { maxFileBytes: 200_000, frameBytes: 16 << 10 });
    // The last frame of the first file, decompressed, two of its lines replaced, compressed again: a valid frame.
    const index = readFileSync(join(dir, "index.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const frame = index[0].frames.at(-1);
    const path = join(dir, index[0].file);
    const stored = readFileSync(path);
    const lines = Bun.zstdDecompressSync(stored.subarray(frame.offset, frame.offset + frame.length)).toString().split("\n");
    lines[3] = "not json, but it mentions entry";
    lines[5] = lines[5]!.replace(/"ts":"[^"]*"/, '"ts":12345');
    const rewritten = Bun.zstdCompressSync(Buffer.from(lines.join("\n")));
    writeFileSync(path, Buffer.concat([stored.subarray(0, frame.offset), rewritten]));
    frame.length = rewritten.length;
    index[0].bytes = frame.offset + rewritten.length;
    writeFileSync(join(dir, "index.jsonl"), index.map((e: unknown) => JSON.stringify(e)).join("\n") + "\n");

    const warning = `warning: ${index[0].file} offset ${frame.offset}: 2 lines are not capture entries, the first: "not json, but it mentions entry" (skipped)\n`;
    for (const args of [["grep", "entry", dir, "--count"], ["grep", "entry", dir, "--format", "text"], ["open", dir, "--speed", "0", "--format", "jsonl"]]) {
      const r = await runCli(args, { target, env });
      expect(r.code).toBe(0);
      const n = args.includes("--count") ? r.stdout.trim().split("\n").reduce((s, l) => s + Number(l.split("\t")[1]), 0) : r.stdout.trim().split("\n").length;
      expect({ args, n }).toEqual({ args, n: 6000 - 2 });
      expect(r.stderr.split(warning).length - 1).toBe(1);
      const strict = await runCli([...args, "--strict"], { target, env });
      expect(strict.code).toBe(1);
      expect(strict.stderr).toEndWith(`error: corrupt data in ${index[0].file} at offset ${frame.offset} (--strict)\n`);
    }
    for (const jobs of ["1", "2"]) {
      const t = await runCli(["triage", dir, "--jobs", jobs, "--json", "--strict"], { target, env });
      expect({ jobs, code: t.code }).toEqual({ jobs, code: 1 });
      expect(t.stderr).toContain(warning);
    }
  });
});

describe("search workers give the same answers as the in-thread reader", () => {
  test("matching lines, counts, JSON, label filters and context groups over several files", async () => {
    const dir = join(tempDir(), "cap");
    const entries: Entry[] = Array.from({ length: 20_000 }, (_, i) => ({
      sec: T0 + i,
      nsec: (i * 7) % 1000,
      labels: i % 3 === 0 ? api : { app: "web" },
      msg: i % 97 === 0 ? `request failed: deadline exceeded after ${i} ms ✓` : `ok ${i} ${"x".repeat(i % 50)}`,
    }));
    await writeOurCapture(dir, entries, { maxFileBytes: 400_000, frameBytes: 32 << 10 });
    expect(readIndex(dir).length).toBeGreaterThanOrEqual(3);
    const workers = { LOGTAP_PARALLEL_SEARCH_MIN_BYTES: "0" };
    for (const args of [
      ["grep", "deadline exceeded", dir, "--count"],
      ["grep", "deadline exceeded", dir, "--format", "json"],
      ["grep", "deadline exceeded", dir, "--label", "app=api", "-C", "2"],
      ["grep", "failed: deadline", dir, "--sort", "--format", "json"],
    ]) {
      const inThread = await runCli(args);
      const viaWorkers = await runCli(args, { env: workers });
      expect(inThread.code).toBe(0);
      expect(inThread.stdout.length).toBeGreaterThan(0);
      expect({ args, out: viaWorkers.stdout, code: viaWorkers.code }).toEqual({ args, out: inThread.stdout, code: 0 });
    }
  });
});

describe.each(cliTargets().map((t) => [t.name, t] as const))("case-insensitive searches through the search workers (%s)", (_n, target) => {
  test("the SIMD scanner (ASCII literals) and the regex (a literal with a non-ASCII fold partner, or too long for the scanner) find what the in-thread reader finds", async () => {
    const dir = join(tempDir(), "cap");
    const cases = ["Deadline EXCEEDED", "deadline exceeded", "DEADLINE", "dead line", "\u212Aelvin probe", "kelvin", "KELVIN", "other"];
    const entries: Entry[] = Array.from({ length: 12_000 }, (_, i) => ({
      sec: T0 + i,
      nsec: 0,
      labels: i % 2 === 0 ? api : { app: "web" },
      msg: `${cases[i % cases.length]} ${i}`,
    }));
    // A literal longer than one scanner takes (literal-scanner.ts): the worker falls back to the regex.
    const long = "q".repeat(8_000);
    entries.push({ sec: T0 + 12_000, nsec: 0, labels: api, msg: `${long.toUpperCase()} 7` });
    await writeOurCapture(dir, entries, { maxFileBytes: 300_000, frameBytes: 16 << 10 });
    const workers = { LOGTAP_PARALLEL_SEARCH_MIN_BYTES: "0" };
    // Not plain literals, so the prefilter path runs (plain ones take the judged path, grep-judged.test.ts).
    for (const [pattern, expected] of [["(?i)deadline.*\\d", 4_500], ["(?i)kelvin.*\\d", 4_500], [`(?i)${long}.*\\d`, 1]] as const) {
      for (const args of [["grep", pattern, dir, "--count"], ["grep", pattern, dir, "--format", "json"]]) {
        const inThread = await runCli(args, { target });
        const viaWorkers = await runCli(args, { target, env: workers });
        expect(inThread.code).toBe(0);
        expect({ args, out: viaWorkers.stdout, code: viaWorkers.code }).toEqual({ args, out: inThread.stdout, code: 0 });
      }
      const counted = (await runCli(["grep", pattern, dir, "--count"], { target, env: workers })).stdout.trim().split("\n");
      expect(counted.reduce((s, l) => s + Number(l.split("\t")[1]), 0)).toBe(expected);
    }
  });
});
