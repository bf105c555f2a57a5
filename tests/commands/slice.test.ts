import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { linesViaZstdCli, dataFiles } from "../support/capture-files.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { waitFor } from "../support/wait-for.ts";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import { writeMetadata, type Metadata } from "../../src/capture/metadata.ts";
import { scanZstdFrames } from "../../src/capture/reader/zstd-frames.ts";
import type { Entry } from "../../src/model/entry.ts";

const BASE = 1_736_935_200; // 2025-01-15T10:00:00Z

function entry(sec: number, labels: Record<string, string>, msg: string, nsec = 0): Entry {
  return { sec: BASE + sec, nsec, labels: Object.freeze({ ...labels }), msg };
}

/** A finished capture: one zstd data file per `files` key (exact names), written the way the receiver writes them. */
async function buildCapture(dir: string, files: Record<string, Entry[]>, meta: Partial<Metadata> = {}, frameBytes = 4096) {
  let lines = 0;
  let bytes = 0;
  for (const [name, entries] of Object.entries(files)) {
    const w = new CaptureWriter({ dir, maxFileBytes: 1 << 30, maxDiskBytes: 0, compress: name.endsWith(".zst"), frameBytes, namer: { next: () => name } });
    for (let i = 0; i < entries.length; i += 100) await w.write(encodeJsonlBatch({ entries: entries.slice(i, i + 100) }));
    const t = await w.close();
    lines += t.lines;
    bytes += t.bytes;
  }
  writeMetadata(dir, {
    version: 1,
    format: "jsonl",
    started: "2025-01-15T10:00:00Z",
    stopped: "2025-01-15T11:00:00Z",
    total_lines: lines,
    total_bytes: bytes,
    labels_seen: ["app", "namespace"],
    ...meta,
  });
}

/** 3 apps interleaved in every file (the case upstream's file-level label filter got wrong), 2 files. */
function mixedEntries(from: number, n: number): Entry[] {
  const apps = ["api", "web", "worker"];
  return Array.from({ length: n }, (_, i) =>
    entry(from + i, { app: apps[i % 3]!, namespace: i % 2 === 0 ? "prod" : "dev" }, `req ${from + i} ${i % 5 === 0 ? "level=error <b>boom</b> & ünïcode" : "level=info ok"}`),
  );
}

const F1 = "2025-01-15T100000-000.jsonl.zst";
const F2 = "2025-01-15T100500-000.jsonl.zst";
// Unindexed plain file (like an upstream active file): odd-but-valid encodings that a re-serialiser would change.
const ORPHAN = "2025-01-15T101000-000.jsonl";
const ORPHAN_LINES = [
  '{"ts":"2025-01-15T11:10:00.500000000+01:00", "labels":{"app":"web","namespace":"prod"},"msg":"spaced out"}',
  '{"msg":"fields reordered","ts":"2025-01-15T10:10:01Z","labels":{"namespace":"prod","app":"web"},"extra":1}',
  '{"ts":"2025-01-15T10:10:02Z","labels":{"app":"api"},"msg":"api orphan"}',
];

async function fixture(meta: Partial<Metadata> = {}): Promise<string> {
  const dir = join(tempDir(), "src");
  await buildCapture(dir, { [F1]: mixedEntries(0, 300), [F2]: mixedEntries(300, 300) }, meta);
  writeFileSync(join(dir, ORPHAN), ORPHAN_LINES.join("\n") + "\n");
  writeFileSync(join(dir, "audit.jsonl"), '{"timestamp":"2025-01-15T10:00:00Z","event":"server_started"}\n');
  return dir;
}

function sourceLinesByFile(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of dataFiles(dir)) {
    const text = f.endsWith(".zst") ? Bun.spawnSync(["zstd", "-dc", join(dir, f)]).stdout.toString() : readFileSync(join(dir, f), "utf8");
    out.set(f, text.split("\n").filter((l) => l !== ""));
  }
  return out;
}

const ts = (sec: number) => new Date((BASE + sec) * 1000).toISOString().replace(".000Z", "Z");

function outputLines(dir: string, file: string): string[] {
  const path = join(dir, file);
  const text = file.endsWith(".zst") ? Bun.spawnSync(["zstd", "-dc", path]).stdout.toString() : readFileSync(path, "utf8");
  return text.split("\n").filter((l) => l !== "");
}

const parse = (l: string) => JSON.parse(l) as { ts: string; labels?: Record<string, string>; msg: string };

describe.each(cliTargets().map((t) => [t.name, t] as const))("slice (%s)", (_name, target) => {
  test("copies matching lines byte for byte, per file, with index, frames and metadata of the new capture", async () => {
    const src = await fixture({ redaction: { enabled: true, patterns: ["email", "jwt"] } });
    const out = join(tempDir(), "out");
    const r = await runCli(["slice", src, "-o", out, "--label", "app=web"], { target });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `Processed file: ${F1} (Matched 100 lines)`,
        `Processed file: ${F2} (Matched 100 lines)`,
        `Processed file: ${ORPHAN} (Matched 2 lines)`,
        `Slicing complete. Wrote 202 lines across 3 files to ${out}`,
        "",
      ].join("\n"),
    );
    expect(readdirSync(out).sort()).toEqual([F1, F2, ORPHAN, "index.jsonl", "metadata.json"]);
    const source = sourceLinesByFile(src);
    const index = new Map(readIndex(out).map((e) => [e.file, e]));
    for (const f of [F1, F2, ORPHAN]) {
      const want = source.get(f)!.filter((l) => parse(l).labels?.app === "web");
      const got = outputLines(out, f);
      expect(got).toEqual(want); // the stored text, not a re-serialisation
      const e = index.get(f)!;
      expect(e.lines).toBe(want.length);
      expect(e.bytes).toBe(want.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
      expect(e.labels!.app).toEqual({ web: want.length });
      expect(e.frames!.reduce((n, fr) => n + fr.lines, 0)).toBe(want.length);
      if (f.endsWith(".zst")) {
        const spans = scanZstdFrames(readFileSync(join(out, f)));
        expect(e.frames!.map((fr) => [fr.offset, fr.length])).toEqual(spans.map((sp) => [sp.offset, sp.length]));
      }
    }
    // The plain orphan stays plain and keeps its odd encodings exactly.
    expect(readFileSync(join(out, ORPHAN), "utf8")).toBe(ORPHAN_LINES.slice(0, 2).join("\n") + "\n");
    expect(index.get(F1)!.from).toBe(ts(1));
    expect(index.get(F2)!.to).toBe(ts(598));
    expect(index.get(ORPHAN)!.from).toBe("2025-01-15T10:10:00.5Z");
    const meta = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8"));
    expect(meta).toEqual({
      version: 1,
      format: "jsonl",
      started: ts(1),
      stopped: "2025-01-15T10:10:01Z",
      total_lines: 202,
      total_bytes: [...index.values()].reduce((n, e) => n + e.bytes, 0),
      labels_seen: ["app", "namespace"],
      redaction: { enabled: true, patterns: ["email", "jwt"] },
    });
    expect(statSync(out).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(out)) expect(statSync(join(out, f)).mode & 0o777).toBe(0o600);
  });

  test("label filters are AND-ed per line, even inside files that mix apps (upstream kept whole files)", async () => {
    const src = await fixture();
    const out = join(tempDir(), "out");
    const r = await runCli(["slice", src, "-o", out, "--label", "app=web", "--label=namespace=prod"], { target });
    expect(r.code).toBe(0);
    const lines = linesViaZstdCli(out).map(parse);
    // web = i%3==1, prod = i%2==0 → i%6==4: 50 per 300-entry file, plus the two prod web orphans.
    expect(lines.length).toBe(102);
    for (const l of lines) expect(l.labels).toEqual({ app: "web", namespace: "prod" });
    const none = await runCli(["slice", src, "-o", join(tempDir(), "o"), "--label", "app=web", "--label", "namespace=staging"], { target });
    expect(none.code).toBe(1);
    // Values are never comma-split (upstream's slice rule): `web,api` is one value that no line has.
    const comma = await runCli(["slice", src, "-o", join(tempDir(), "o"), "--label", "app=web,api"], { target });
    expect(comma.code).toBe(1);
  });

  test("time edges: --from and --to are inclusive, in every form, read against the capture", async () => {
    const src = await fixture();
    const count = async (...flags: string[]) => {
      const out = join(tempDir(), "out");
      const r = await runCli(["slice", src, "-o", out, "--json", ...flags], { target });
      if (r.code !== 0) return { code: r.code, stderr: r.stderr };
      return JSON.parse(r.stdout).entries as number;
    };
    expect(await count("--from", ts(10), "--to", ts(20))).toBe(11);
    expect(await count("--from", "10:00", "--to", ts(20))).toBe(21); // H:MM on the capture's start date
    expect(await count("--from", "9:59", "--to", "10:00")).toBe(1); // upstream's H:MM form
    // 60m / -60m before the capture's end (11:00) = 10:00; 55m = 10:05, which is also F2's first entry.
    expect(await count("--from", "60m", "--to", "-55m")).toBe(301);
    expect(await count("--from", "-60m", "--to", "55m")).toBe(301);
    // A nanosecond after the last entry of F1 (10:04:59) and before the orphans: F2 only.
    expect(await count("--from", "2025-01-15T10:04:59.000000001Z", "--to", "2025-01-15T10:09:59.999999999Z")).toBe(300);
    expect(await count("--from", "2025-01-15T10:10:00.5Z", "--to", "2025-01-15T10:10:00.5Z")).toBe(1); // +01:00 line
    const bad = await count("--from", "yesterday");
    expect(bad).toEqual({ code: 2, stderr: JSON.stringify({ exit_code: 2, error: "invalid_args", message: 'invalid --from: unrecognized time format: "yesterday"', recoverable: false }) + "\n" });
  });

  test("--grep matches the stored JSON line (labels and escapes included), combined with labels and times", async () => {
    const src = await fixture();
    const run = async (...flags: string[]) => {
      const out = join(tempDir(), "out");
      const r = await runCli(["slice", src, "-o", out, ...flags], { target });
      return { code: r.code, stderr: r.stderr, lines: r.code === 0 ? linesViaZstdCli(out).map(parse) : [] };
    };
    const api = await run("--grep", '"app":"api"');
    expect(api.lines.length).toBe(201);
    expect(api.lines.every((l) => l.labels?.app === "api")).toBe(true);
    // Stored lines escape < > & the way Go does: the raw text has \u003cb\u003e, not <b>.
    expect((await run("--grep", "<b>boom")).code).toBe(1);
    const escaped = await run("--grep", "u003cb.u003eboom");
    expect(escaped.lines.length).toBe(120);
    expect(escaped.lines[0]!.msg).toContain("<b>boom</b>");
    const combined = await run("--grep", "level=error", "--label", "app=web", "--to", ts(299));
    // web = i%3==1, error = i%5==0 → i%15==10, up to entry 299.
    expect(combined.lines.map((l) => Number(l.msg.split(" ")[1]))).toEqual(Array.from({ length: 20 }, (_, k) => 10 + 15 * k));
    const bad = await run("--grep", "(");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid --grep: /);
  });

  test("refuses to write into its own source, however the path is spelt, or into a non-empty directory", async () => {
    const src = await fixture();
    const parent = join(src, "..");
    const before = readdirSync(src).sort();
    const link = join(parent, "link");
    symlinkSync(src, link);
    // `..` after a symlink goes to the target's parent (kernel rule), which a lexical normalisation gets wrong.
    mkdirSync(join(parent, "other"));
    symlinkSync(src, join(parent, "other", "lnk"));
    const busy = join(tempDir(), "busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "keep.txt"), "x");
    const file = join(tempDir(), "file");
    writeFileSync(file, "x");
    // Run from the source's parent with the source given as `src`.
    for (const [out, msg] of [
      [src, "cannot be the same as capture directory"],
      ["./src/../src", "cannot be the same as capture directory"],
      [`${src}/.`, "cannot be the same as capture directory"],
      [link, "cannot be the same as capture directory"],
      ["link/../src", "cannot be the same as capture directory"],
      ["other/lnk/../src", "cannot be the same as capture directory"],
      [join(link, "sub"), "cannot be inside capture directory"],
      [busy, "already exists and is not empty"],
      [file, "exists and is not a directory"],
    ] as const) {
      const r = await runCli(["slice", "src", "-o", out], { target, cwd: parent });
      expect({ out, code: r.code }).toEqual({ out, code: 2 });
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    // The source is checked through a symlink too.
    const viaLink = await runCli(["slice", link, "-o", src], { target });
    expect(viaLink.code).toBe(2);
    expect(readdirSync(src).sort()).toEqual(before);
    expect(readdirSync(busy)).toEqual(["keep.txt"]);
  });

  test("nothing matched: exit 1, one line, no output directory left behind", async () => {
    const src = await fixture();
    const out = join(tempDir(), "out");
    const r = await runCli(["slice", src, "-o", out, "--label", "app=nobody"], { target });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: no matching log lines found for the given filters\n");
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    // A directory the user made (empty) is left as it was.
    const made = join(tempDir(), "made");
    mkdirSync(made);
    const j = await runCli(["slice", src, "-o", made, "--from", "2030-01-01T00:00:00Z", "--json"], { target });
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stderr)).toEqual({ exit_code: 1, error: "internal", message: "no matching log lines found for the given filters", recoverable: false });
    expect(readdirSync(made)).toEqual([]);
  });

  test("--json: exactly one JSON document, keys in upstream's alphabetical order", async () => {
    const src = await fixture();
    const out = join(tempDir(), "out");
    const r = await runCli(["slice", src, "-o", out, "--format", "json", "--label", "app=api"], { target });
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith("\n")).toBe(true);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["bytes", "entries", "files", "output", "source"]);
    const disk = dataFiles(out).reduce((n, f) => n + statSync(join(out, f)).size, 0);
    expect(doc).toEqual({ bytes: disk, entries: 201, files: 3, output: out, source: src });
  });

  test("usage errors exit 2, a missing capture exits 3; a corrupt frame is skipped with a warning, or fails with --strict", async () => {
    const src = await fixture();
    for (const args of [
      ["slice", src],
      ["slice", src, "-o", join(tempDir(), "o"), "--label", "app="],
      ["slice", src, "-o", join(tempDir(), "o"), "--label", "=web"],
      ["slice", src, "-o", join(tempDir(), "o"), "--nope"],
    ]) {
      const r = await runCli(args, { target });
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
    }
    const missing = await runCli(["slice", join(tempDir(), "nope"), "-o", join(tempDir(), "o")], { target });
    expect(missing.code).toBe(3);

    // Break the second frame of F2 (its magic number): that frame's lines are lost, the rest is copied.
    const e = readIndex(src).find((x) => x.file === F2)!;
    const bytes = readFileSync(join(src, F2));
    bytes[e.frames![1]!.offset] = 0;
    writeFileSync(join(src, F2), bytes);
    const out = join(tempDir(), "out");
    const r = await runCli(["slice", src, "-o", out, "--json"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^warning: ${F2} offset ${e.frames![1]!.offset}: .*\\(skipped\\)\n$`));
    expect(JSON.parse(r.stdout).entries).toBe(603 - e.frames![1]!.lines);
    const strictOut = join(tempDir(), "strict");
    const strict = await runCli(["slice", src, "-o", strictOut, "--strict"], { target });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("(--strict)");
    expect(existsSync(strictOut)).toBe(false);
  });

  test("slicing a live capture while the receiver writes and rotates: no error, a valid capture", async () => {
    const rcv = await startReceiver(["--max-file", "20KB"], { target });
    let pushing = true;
    let sent = 0;
    const pusher = (async () => {
      while (pushing) {
        const now = BigInt(Date.now()) * 1_000_000n;
        const values = Array.from({ length: 50 }, (_, i) => [String(now + BigInt(i)), `live line ${sent + i} ${"x".repeat(60)}`] as [string, string]);
        const res = await push(rcv.url, lokiJson([{ labels: { app: sent % 100 === 0 ? "api" : "web" }, values }]), { "content-type": "application/json" });
        expect(res.status).toBe(204);
        sent += 50;
        await Bun.sleep(20);
      }
    })();
    try {
      // Start slicing once the receiver has rotated at least once (closed files and an active one).
      await waitFor(() => dataFiles(rcv.dir).length >= 2, 15_000, "a first rotation");
      for (let round = 0; round < 3; round++) {
        const out = join(tempDir(), "out");
        const r = await runCli(["slice", rcv.dir, "-o", out, "--json"], { target });
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
        const doc = JSON.parse(r.stdout);
        const lines = linesViaZstdCli(out);
        expect(lines.length).toBe(doc.entries);
        const index = readIndex(out);
        expect(index.map((x) => x.file)).toEqual(dataFiles(out));
        expect(index.reduce((n, x) => n + x.lines, 0)).toBe(doc.entries);
        const meta = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8"));
        expect(meta.total_lines).toBe(doc.entries);
        expect(new Set(lines).size).toBe(lines.length);
        // The next slice reads a capture that has rotated again since this one.
        const files = dataFiles(rcv.dir).length;
        await waitFor(() => dataFiles(rcv.dir).length > files, 15_000, "another rotation");
      }
    } finally {
      pushing = false;
      await pusher;
      await rcv.stop();
    }
    expect(dataFiles(rcv.dir).length).toBeGreaterThan(3); // it really rotated meanwhile
  }, 60_000);
});
