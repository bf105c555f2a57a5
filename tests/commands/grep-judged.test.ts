/**
 * grep's stored-bytes fast paths (src/search/judged-grep.ts, judged-sorted.ts) against the general path (LOGTAP_GREP_GENERAL=1): the
 * same stdout and stderr byte for byte, in-thread and on search workers, on captures with tricky lines, damaged
 * frames, the upstream layout, and indexes without frame records.
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, type CliTarget } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { upstreamLine, writeOurCapture, writeUpstreamCapture } from "../support/fixture-capture.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import type { Entry } from "../../src/model/entry.ts";
import { encodeEntryLine } from "../../src/capture/entry-line.ts";
import { mulberry32 } from "../../scripts/bench/shared/prng.ts";
import { compileRe2 } from "../../src/regex/re2.ts";
import { formatCount } from "../../src/common/format.ts";

const SOURCE: CliTarget = { name: "source", cmd: [process.execPath, join(import.meta.dir, "../../src/cli/main.ts")] };
const T0 = Date.UTC(2025, 0, 15, 10, 0, 0) / 1000;
const READ_PATHS = [
  ["in-thread", { LOGTAP_PARALLEL_SEARCH_MIN_BYTES: String(1 << 40) }],
  ["search workers", { LOGTAP_PARALLEL_SEARCH_MIN_BYTES: "0" }],
] as const;

/**
 * Messages with escapes, unicode, HTML characters, the pattern in labels and in metadata, timestamps with fractions;
 * for `(?i)`, the pattern in mixed case and with U+212A / U+017F (the regex's non-ASCII k and s).
 */
function trickyEntries(n: number): Entry[] {
  const r = mulberry32(7);
  const pieces = ["error", "timeout", " ", "\n", "\t", "\\", '"', "<b>", "&", "ü", "日本", "\u2028", "\b", "\u0001", "err", "or", "/"];
  const folded = ["ERROR", "eRRor", "Timeout", "kill", "KILL", "\u212aill", "\u017fuccess", "SUCCESS", "É", "ß"];
  const labelSets = [
    Object.freeze({ app: "api", env: "prod" }),
    Object.freeze({ app: "error-svc" }),
    Object.freeze({ app: "web", level: "timeout" }),
    Object.freeze({}),
    Object.freeze({ app: "Error-Svc", pod: "\u212aill-0" }),
  ];
  return Array.from({ length: n }, (_, i) => {
    let msg = "";
    for (let k = Math.floor(r() * 7); k > 0; k--) msg += r() < 0.2 ? folded[Math.floor(r() * folded.length)] : pieces[Math.floor(r() * pieces.length)];
    const e: Entry = { sec: T0 + i, nsec: i % 3 === 0 ? 120_000_000 : i % 3 === 1 ? 7 : 0, labels: labelSets[i % labelSets.length]!, msg };
    if (i % 5 === 0) e.meta = { trace_id: i % 10 === 0 ? "error" : "abc" };
    return e;
  });
}

/** The entries in time order, stably (written in array order, so that is scan order): the definition of --sort. */
function stableByTime(entries: Entry[]): Entry[] {
  return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.sec - b.e.sec || a.e.nsec - b.e.nsec || a.i - b.i).map((x) => x.e);
}

/** What --format text prints for these matches, written out here rather than with logtap's helpers. */
function sortedText(matches: Entry[]): string {
  const service = (e: Entry) => e.labels.app ?? (e.labels[Object.keys(e.labels).sort()[0]!] || "-");
  const width = Math.max(...matches.map((e) => service(e).length + 2));
  const clock = (e: Entry) => `${new Date(e.sec * 1000).toISOString().slice(11, 19)}.${String(Math.floor(e.nsec / 1e6)).padStart(3, "0")}`;
  return stableByTime(matches).map((e) => `${clock(e)} ${`[${service(e)}]`.padEnd(width)} ${e.msg}\n`).join("");
}

async function both(args: string[], env: Record<string, string>) {
  const fast = await runCli(args, { target: SOURCE, env });
  const general = await runCli(args, { target: SOURCE, env: { ...env, LOGTAP_GREP_GENERAL: "1" } });
  expect(fast.code).toBe(general.code);
  expect(fast.stderr).toBe(general.stderr);
  expect(fast.stdout).toBe(general.stdout);
  return fast;
}

const MODES = [[], ["--count"], ["--format", "text"], ["--sort"]];

const QUERIES = [
  ["error"],
  ["error|timeout"],
  ["error", "--label", "app=api"],
  ["timeout", "--from", "2025-01-15T10:10:00.12Z", "--to", "2025-01-15T10:40:00Z"],
  ["nothing-like-this"],
  ["(?i)error"],
  ["(?i)ERROR|Timeout"],
  ["(?i)kill|success"],
  ["(?i)error", "--label", "app=api"],
  ["(?i)TIMEOUT", "--from", "2025-01-15T10:10:00.12Z", "--to", "2025-01-15T10:40:00Z"],
];

describe.each(READ_PATHS)("grep fast path = general path (%s)", (_name, env) => {
  let ours: string;
  let upstream: string;
  beforeAll(async () => {
    ours = join(tempDir(), "ours");
    await writeOurCapture(ours, trickyEntries(3000), { maxFileBytes: 100_000, frameBytes: 8 << 10 });
    upstream = join(tempDir(), "upstream");
    writeUpstreamCapture(
      upstream,
      {
        "2024-01-15T103201-000.jsonl.zst": [
          upstreamLine("2024-01-15T10:32:05.5+01:00", { app: "web" }, "error one"),
          upstreamLine("2024-01-15T09:32:06Z", null, "timeout <two>"),
          '{"ts":"2024-01-15T09:32:07Z","labels":{"app":"error"},"msg":"x","extra":1}\n',
          // Escapes another encoder may write: an escaped letter that spells the pattern, upper-case hex, U+212A.
          '{"ts":"2024-01-15T09:32:08Z","labels":{"app":"web"},"msg":"\\u0045RROR and timeout \\u003C"}\n',
          '{"ts":"2024-01-15T09:32:09Z","msg":"\\u212Aill -9 error"}\n',
          upstreamLine("2024-01-15T09:32:10Z", { app: "web" }, "\u212aill TIMEOUT"),
        ],
      },
      { name: "2024-01-15T104002-000.jsonl", lines: [
          upstreamLine("2024-01-15T09:40:03Z", { app: "api" }, "error \u00e9"),
          // Unsure (an offset) between two sure matches: printed at its place.
          upstreamLine("2024-01-15T10:40:03.5+01:00", { app: "api" }, "error two"),
          upstreamLine("2024-01-15T09:40:03.7Z", { app: "api" }, "error three timeout"),
          "not json error\n",
          '{"ts":"2024-01-15T09:40:04Z","msg":"error torn',
        ],
      },
    );
  });

  test("our captures with tricky lines: --count and JSON output", async () => {
    for (const q of QUERIES) for (const mode of MODES) await both(["grep", ...q, ours, ...mode], env);
    const r = await both(["grep", "error", ours], env);
    expect(r.stdout.split("\n").length).toBeGreaterThan(500);
  });

  test("frames with many candidate lines (read by the SIMD frame scanner, on workers decompressed into it)", async () => {
    const dir = join(tempDir(), "dense");
    await writeOurCapture(dir, trickyEntries(8000), { maxFileBytes: 400_000, frameBytes: 64 << 10 });
    for (const q of QUERIES.slice(0, 7)) for (const mode of MODES.slice(0, 2)) await both(["grep", ...q, dir, ...mode], env);
    const r = await both(["grep", "error", dir, "--count"], env);
    expect(Number(r.stderr.match(/^([\d,]+) matches/)![1]!.replace(/,/g, ""))).toBeGreaterThan(1500);
  });

  test("--format text and --sort: hits out of time order and on equal timestamps keep the general path's order", async () => {
    const dir = join(tempDir(), "unordered");
    const r = mulberry32(11);
    const entries = trickyEntries(2000).map((e, i) => ({ ...e, sec: T0 + Math.floor(r() * 50), nsec: i % 4 === 0 ? 0 : Math.floor(r() * 3) * 250_000_000 }));
    await writeOurCapture(dir, entries, { maxFileBytes: 60_000, frameBytes: 4 << 10 });
    for (const q of QUERIES.slice(0, 6)) for (const mode of [["--format", "text"], ["--sort"]]) await both(["grep", ...q, dir, ...mode], env);
    const t = await both(["grep", "error", dir, "--format", "text"], env);
    expect(t.stdout.split("\n").length).toBeGreaterThan(300);
  });

  // Over 65,536 pending hits the judged text output prints the hits the index says no later frame can precede
  // (judged-sorted.ts), once a hit has the widest service the index lists: frames here overlap in time (entries up to
  // 40 s late), share timestamps, and the widest service first appears after 40,000 entries; some lines have no
  // labels (service "-") and some are unsure (a `\u` escape), so the general path prints them between the others.
  test("--format text and --sort printed while reading: a stable sort's bytes, on both paths", async () => {
    const dir = join(tempDir(), "streamed");
    const r = mulberry32(5);
    const apps: Record<string, string>[] = [{ app: "api" }, { app: "web-frontend" }, {}];
    const entries: Entry[] = Array.from({ length: 90_000 }, (_, i) => ({
      sec: T0 + Math.floor(i / 20) + Math.floor(r() * 40),
      nsec: Math.floor(r() * 4) * 250_000_000,
      labels: i >= 40_000 && i % 7 === 0 ? { app: "the-widest-service-of-all" } : apps[i % 3]!,
      msg: i % 10 === 9 ? `quiet ${i}` : i % 101 === 0 ? `error "${i}" \u00e9` : `error ${i} "quoted" <x>`,
    }));
    await writeOurCapture(dir, entries, { maxFileBytes: 1_500_000, frameBytes: 32 << 10 });
    const errors = entries.filter((e) => e.msg.includes("error"));
    expect(errors.length).toBeGreaterThan(80_000);
    // Both paths print while reading now: each is also held to the definition, a stable sort of the matches.
    const t = await both(["grep", "error", dir, "--format", "text"], env);
    expect(t.stdout).toBe(sortedText(errors));
    expect((await both(["grep", "err.r", dir, "--format", "text"], env)).stdout).toBe(sortedText(errors));
    const api = errors.filter((e) => e.labels.app === "api");
    expect((await both(["grep", "error", dir, "--format", "text", "--label", "app=api"], env)).stdout).toBe(sortedText(api));
    const json = stableByTime(errors).map((e) => encodeEntryLine(e) + "\n").join("");
    expect((await both(["grep", "error", dir, "--sort"], env)).stdout).toBe(json);
    expect((await both(["grep", "err.r", dir, "--sort"], env)).stdout).toBe(json);
  }, 120_000);

  test("(?i): as many matches as the regex finds in the entries, partners of k and s included", async () => {
    const entries = trickyEntries(3000);
    for (const pattern of ["(?i)error", "(?i)kill|success", "(?i)SUCCESS"]) {
      const re = compileRe2(pattern);
      const want = entries.filter((e) => re.test(e.msg) || Object.values(e.labels).some((v) => re.test(v))).length;
      const ascii = new RegExp(re.source, "i");
      const asciiOnly = entries.filter((e) => ascii.test(e.msg) || Object.values(e.labels).some((v) => ascii.test(v))).length;
      if (pattern !== "(?i)error") expect(want).toBeGreaterThan(asciiOnly);
      const r = await both(["grep", pattern, ours, "--count"], env);
      expect(r.stderr).toStartWith(`${formatCount(want)} matches across`);
    }
  });

  test("upstream layout (offsets, unindexed frames, plain active file, torn and foreign lines)", async () => {
    for (const q of QUERIES) for (const mode of MODES) await both(["grep", ...q, upstream, ...mode], env);
  });

  test("damaged frames and an index without frame records", async () => {
    const dir = join(tempDir(), "damaged");
    await writeOurCapture(dir, trickyEntries(3000), { maxFileBytes: 100_000, frameBytes: 8 << 10 });
    const index = readIndex(dir);
    const victim = index[0]!.frames![2]!;
    const p0 = join(dir, index[0]!.file);
    const b0 = readFileSync(p0);
    for (let i = victim.offset + 4; i < victim.offset + victim.length; i++) b0[i] = b0[i]! ^ 0xff;
    writeFileSync(p0, b0);
    // An older index: no frame records (the reader scans those files frame by frame).
    const lines = readFileSync(join(dir, "index.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    lines[1].frames = undefined;
    writeFileSync(join(dir, "index.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    for (const q of QUERIES.slice(0, 3)) for (const mode of MODES) {
      const r = await both(["grep", ...q, dir, ...mode], env);
      expect(r.stderr).toContain(`warning: ${index[0]!.file} offset ${victim.offset}:`);
    }
  });
});

describe("case-insensitive search on search workers (a latin1 view of each frame)", () => {
  test("the same lines as in-thread (the general path; U+212A/U+017F found as text in-thread, as bytes there)", async () => {
    const dir = join(tempDir(), "fold");
    await writeOurCapture(dir, trickyEntries(3000), { maxFileBytes: 100_000, frameBytes: 8 << 10 });
    for (const args of [["grep", "(?i)ERROR", dir], ["grep", "(?i)timeout|ÜBER", dir, "--count"], ["grep", "(?i)err", dir, "--label", "app=api"], ["grep", "(?i)KILL|success", dir]]) {
      const [a, b] = await Promise.all(READ_PATHS.map(([, env]) => runCli(args, { target: SOURCE, env: { ...env, LOGTAP_GREP_GENERAL: "1" } })));
      expect(b!.stdout).toBe(a!.stdout);
      expect(b!.stderr).toBe(a!.stderr);
      if (args.length === 3) expect(a!.stdout.split("\n").length).toBeGreaterThan(300);
    }
  });
});
