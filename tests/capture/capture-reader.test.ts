import { describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { captureSource } from "../../pipeline/sources/capture-source.ts";
import type { Entry } from "../../src/model/entry.ts";
import type { ReadProblem } from "../../src/capture/reader/read-problem.ts";
import { CaptureReader } from "../../src/capture/reader/capture-reader.ts";
import { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";
import { encodeJsonlBatch } from "../../pipeline/stages/encode-jsonl.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import { corruptedCapture } from "../support/export-fixtures.ts";
import { tempDir } from "../support/receiver-process.ts";
import { batchesOf, makeEntries } from "../support/entries.ts";

async function readAll(dir: string): Promise<{ entries: Entry[]; problems: ReadProblem[] }> {
  const problems: ReadProblem[] = [];
  const entries: Entry[] = [];
  for await (const b of captureSource(dir, { onProblem: (p) => problems.push(p) })) entries.push(...b.entries);
  return { entries, problems };
}

const line = (ts: string, app: string, msg: string) => JSON.stringify({ ts, labels: { app }, msg }) + "\n";

describe("capture reader", () => {
  test("reads a capture in the upstream tool's layout: single-frame .zst from the zstd CLI, plain active file, audit ignored", async () => {
    const dir = tempDir();
    const closed = line("2024-01-15T10:32:05Z", "api", "first") + line("2024-01-15T10:32:06+01:00", "api", "second");
    const zst = Bun.spawnSync(["zstd", "-c", "-q"], { stdin: Buffer.from(closed) }).stdout;
    writeFileSync(join(dir, "2024-01-15T103201-000.jsonl.zst"), zst);
    writeFileSync(join(dir, "2024-01-15T103512-000.jsonl"), line("2024-01-15T10:35:12.5Z", "web", "active") + "not json\n");
    writeFileSync(join(dir, "index.jsonl"), '{"file":"2024-01-15T103201-000.jsonl.zst","from":"2024-01-15T10:32:05Z","to":"2024-01-15T10:32:06Z","lines":2,"bytes":150,"labels":{"app":{"api":2}}}\n');
    writeFileSync(join(dir, "audit.jsonl"), '{"timestamp":"2024-01-15T10:32:01.1235Z","event":"server_started"}\n');
    writeFileSync(join(dir, "manifest.sha256"), "abc  metadata.json\n");
    writeFileSync(join(dir, "metadata.json"), '{"version":1,"format":"jsonl"}');
    const { entries, problems } = await readAll(dir);
    expect(entries.map((e) => e.msg)).toEqual(["first", "second", "active"]);
    expect(entries[1]!.sec).toBe(Date.UTC(2024, 0, 15, 9, 32, 6) / 1000);
    // The junk line is skipped, and named: upstream would have said nothing.
    expect(problems).toEqual([{ file: "2024-01-15T103512-000.jsonl", offset: 0, kind: "corrupt", detail: '1 line is not a capture entry: "not json"' }]);
  });

  test("a plain file's last line without its newline (being written) is skipped without a word; complete ones are named", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "metadata.json"), '{"version":1,"format":"jsonl"}');
    const plain = join(dir, "2024-01-15T103512-000.jsonl");
    const torn = '{"ts":"2024-01-15T10:35:13Z","labels":{"app":"w';
    writeFileSync(plain, line("2024-01-15T10:35:12Z", "web", "one") + torn);
    expect(await readAll(dir)).toEqual({ entries: [expect.objectContaining({ msg: "one" })], problems: [] });
    writeFileSync(plain, line("2024-01-15T10:35:12Z", "web", "one") + torn + "\n" + line("2024-01-15T10:35:14Z", "web", "two"));
    const { entries, problems } = await readAll(dir);
    expect(entries.map((e) => e.msg)).toEqual(["one", "two"]);
    expect(problems.map((p) => p.detail)).toEqual([`1 line is not a capture entry: ${JSON.stringify(torn)}`]);
  });

  test("a corrupt frame in the middle costs only that frame; the damage is reported with file and offset", async () => {
    const dir = join(tempDir(), "cap");
    const victim = await corruptedCapture(dir);
    const { entries, problems } = await readAll(dir);
    expect(entries.length).toBe(victim.total - victim.lost);
    expect(victim.lost).toBeGreaterThan(0);
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0]!.file).toBe(victim.file);
    expect(problems[0]!.offset).toBe(victim.offset);
    expect(problems[0]!.kind).toBe("corrupt");
  });

  test("a torn tail (crash mid-frame) is skipped with a warning, every complete frame is read", async () => {
    const dir = join(tempDir(), "cap");
    const w = new CaptureWriter({ dir, maxFileBytes: 1 << 30, maxDiskBytes: 0, compress: true, frameBytes: 16 << 10 });
    for (const b of batchesOf(makeEntries(3000), 300)) await w.write(encodeJsonlBatch(b));
    await w.close();
    const [idx] = readIndex(dir);
    writeFileSync(join(dir, "index.jsonl"), "");
    const path = join(dir, idx!.file);
    const last = idx!.frames!.at(-1)!;
    writeFileSync(path, readFileSync(path).subarray(0, last.offset + Math.floor(last.length / 2)));
    const { entries, problems } = await readAll(dir);
    expect(entries.length).toBe(3000 - last.lines);
    expect(problems).toEqual([{ file: idx!.file, offset: last.offset, kind: "torn-tail", detail: expect.stringContaining("incomplete") }]);
  });

  test("a data file removed between listing and reading (rotated away) is skipped, not an error", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.jsonl"), line("2024-01-15T10:32:05Z", "x", "kept"));
    writeFileSync(join(dir, "b.jsonl"), line("2024-01-15T10:32:06Z", "x", "also kept"));
    writeFileSync(join(dir, "c.jsonl"), line("2024-01-15T10:32:07Z", "x", "gone"));
    // Files are listed at the first read; with one unit of read-ahead, c is opened only after b is handed out.
    const reader = new CaptureReader(dir, { readAhead: 1 });
    const it = reader.batches();
    const first = await it.next();
    rmSync(join(dir, "c.jsonl"));
    const second = await it.next();
    const end = await it.next();
    expect([first.value!.entries[0]!.msg, second.value!.entries[0]!.msg]).toEqual(["kept", "also kept"]);
    expect(end.done).toBe(true);
    expect(reader.stats.problems).toEqual([]);
  });
});
