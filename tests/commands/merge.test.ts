import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import { writeMetadata, type Metadata } from "../../src/capture/metadata.ts";
import { formatBytes } from "../../src/common/format.ts";
import type { Entry } from "../../src/model/entry.ts";

const BASE = 1_736_935_200; // 2025-01-15T10:00:00Z
const ts = (sec: number) => new Date((BASE + sec) * 1000).toISOString().replace(".000Z", "Z");
const N0 = "2025-01-15T100000-000.jsonl.zst";
const N1 = "2025-01-15T100000-001.jsonl.zst";
const N2 = "2025-01-15T100000-002.jsonl.zst";
const N3 = "2025-01-15T100000-003.jsonl.zst";

function entries(from: number, to: number, labels: Record<string, string>): Entry[] {
  const l = Object.freeze({ ...labels });
  return Array.from({ length: to - from + 1 }, (_, i) => ({ sec: BASE + from + i, nsec: 0, labels: l, msg: `at ${from + i}` }));
}

/** A capture with data files of exactly these names (zstd frames, index lines with frame records). */
async function buildCapture(dir: string, files: Record<string, Entry[]>, meta: Partial<Metadata>) {
  let lines = 0;
  let bytes = 0;
  for (const [name, list] of Object.entries(files)) {
    const w = new CaptureWriter({ dir, maxFileBytes: 1 << 30, maxDiskBytes: 0, compress: true, frameBytes: 1024, namer: { next: () => name } });
    await w.write(encodeJsonlBatch({ entries: list }));
    const t = await w.close();
    lines += t.lines;
    bytes += t.bytes;
  }
  writeMetadata(dir, { version: 1, format: "jsonl", started: ts(0), stopped: ts(600), total_lines: lines, total_bytes: bytes, labels_seen: null, ...meta });
}

const ORPHAN_A = '{"ts":"2025-01-15T10:30:00Z","labels":{"app":"api"},"msg":"orphan a"}\n';
const ORPHAN_B = '{"ts":"2025-01-15T10:31:00Z","msg":"orphan b"}\n';

async function sources() {
  const root = tempDir();
  const a = join(root, "a");
  const b = join(root, "b");
  const c = join(root, "c");
  await buildCapture(a, { [N0]: entries(0, 99, { app: "api", namespace: "prod" }), [N1]: entries(200, 299, { app: "api", namespace: "prod" }) }, {
    labels_seen: ["app"],
    stopped: ts(600),
    redaction: { enabled: true, patterns: ["email"] },
  });
  writeFileSync(join(a, "x.jsonl"), ORPHAN_A);
  writeFileSync(join(a, "audit.jsonl"), '{"timestamp":"2025-01-15T10:00:00Z","event":"server_started"}\n');
  writeFileSync(join(a, "manifest.sha256"), `${"0".repeat(64)}  metadata.json\n`);
  await buildCapture(b, { [N0]: entries(100, 199, { host: "h1", zone: "z" }) }, { labels_seen: ["host"], stopped: ts(1200), redaction: { enabled: true, patterns: ["jwt"] } });
  writeFileSync(join(b, "x.jsonl"), ORPHAN_B);
  // Starts at the same instant as a's first file: the index sort must keep source order for the tie.
  await buildCapture(c, { [N0]: entries(0, 10, { app: "batch" }) }, { stopped: ts(30) });
  return { root, a, b, c };
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("merge (%s)", (_name, target) => {
  test("copies every data file byte for byte with collision renames, never audit or manifest", async () => {
    const { root, a, b, c } = await sources();
    const out = join(root, "merged");
    const r = await runCli(["merge", a, b, c, "-o", out], { target });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const copies: [string, string][] = [
      [join(a, N0), N0],
      [join(a, N1), N1],
      [join(a, "x.jsonl"), "x.jsonl"],
      [join(b, N0), N2], // …-000 is taken (and -001): first free sequence
      [join(b, "x.jsonl"), "x-m001.jsonl"], // no `-` in the name: -m001
      [join(c, N0), N3],
    ];
    expect(readdirSync(out).sort()).toEqual([...copies.map(([, n]) => n), "index.jsonl", "metadata.json"].sort());
    for (const [from, name] of copies) expect(Buffer.compare(readFileSync(join(out, name)), readFileSync(from))).toBe(0);
    const disk = copies.reduce((n, [, name]) => n + statSync(join(out, name)).size, 0);
    expect(r.stdout).toBe(`Merged: 3 sources -> ${out} (313 lines, ${formatBytes(disk)})\n`);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(out)) expect(statSync(join(out, f)).mode & 0o777).toBe(0o600);
  });

  test("one index sorted by from (stable), renamed files, frame records kept; metadata sums and unions", async () => {
    const { root, a, b, c } = await sources();
    const out = join(root, "merged");
    expect((await runCli(["merge", a, b, c, "-o", out], { target })).code).toBe(0);
    const index = readIndex(out);
    expect(index.map((e) => e.file)).toEqual([N0, N3, N2, N1]);
    expect(index.map((e) => e.from)).toEqual([ts(0), ts(0), ts(100), ts(200)]);
    const byName = (dir: string, name: string) => readIndex(dir).find((e) => e.file === name)!;
    expect(index[1]).toEqual({ ...byName(c, N0), file: N3 });
    expect(index[2]).toEqual({ ...byName(b, N0), file: N2 });
    expect(index[2]!.frames!.length).toBeGreaterThan(1);
    const meta = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8"));
    const total = (dir: string) => JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8"));
    expect(meta).toEqual({
      version: 1,
      format: "jsonl",
      started: ts(0),
      stopped: ts(1200),
      total_lines: 311,
      total_bytes: total(a).total_bytes + total(b).total_bytes + total(c).total_bytes,
      labels_seen: ["app", "host", "namespace", "zone"],
      redaction: { enabled: true, patterns: ["jwt"] },
    });
    // Data later than every source's stop time moves `stopped` (the latest index `to`, not the last-sorted one's).
    const late = join(root, "late");
    await buildCapture(late, { [N0]: entries(5000, 5001, { app: "late" }) }, { stopped: ts(0) });
    const out2 = join(root, "merged2");
    expect((await runCli(["merge", late, a, "-o", out2], { target })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out2, "metadata.json"), "utf8")).stopped).toBe(ts(5001));
  });

  test("--json: one document, upstream's alphabetical keys", async () => {
    const { root, a, b, c } = await sources();
    const out = join(root, "merged");
    const r = await runCli(["merge", a, b, c, "--out", out, "--json"], { target });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["bytes", "entries", "files", "output", "sources"]);
    const disk = readdirSync(out)
      .filter((f) => f !== "index.jsonl" && f !== "metadata.json")
      .reduce((n, f) => n + statSync(join(out, f)).size, 0);
    expect(doc).toEqual({ bytes: disk, entries: 313, files: 6, output: out, sources: [a, b, c] });
  });

  test("errors: fewer than two sources or no -o (2), a missing source (3), a source given twice (2), writing into a source or a non-empty dir (2)", async () => {
    const { root, a, b } = await sources();
    const cases: [string[], number, string][] = [
      [["merge", a, "-o", join(root, "o")], 2, "requires at least 2 arg(s), received 1"],
      [["merge", a, b], 2, "-o/--out is required"],
      [["merge", a, join(root, "nope"), "-o", join(root, "o")], 3, "no such file or directory"],
      [["merge", a, b, "-o", `${b}/../b`], 2, "cannot be the same as capture directory"],
      [["merge", a, b, "-o", join(a, "inner")], 2, "cannot be inside capture directory"],
      [["merge", a, b, "-o", root], 2, "already exists and is not empty"],
      [["merge", a, b, a, "-o", join(root, "o")], 2, `capture directory ${a} is given twice`],
      [["merge", a, `${b}/../a/`, "-o", join(root, "o")], 2, `capture directories ${a} and ${b}/../a/ are the same directory`],
    ];
    for (const [args, code, msg] of cases) {
      const r = await runCli(args, { target });
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(existsSync(join(root, "o"))).toBe(false);
    expect(existsSync(join(a, "inner"))).toBe(false);
  });
});
