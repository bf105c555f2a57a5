/**
 * `logtap catalog [dir] [-r]` lists capture directories (those whose metadata.json decodes), newest first, as an
 * aligned table or a JSON array (`[]` when there are none; upstream printed `null`). A live capture — `stopped`
 * is the zero time — shows as `(active)`.
 */

import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { LINE_A, LINE_B, makeCapture } from "./capture-fixture.ts";

const ZST_BYTES = Bun.zstdCompressSync(Buffer.from(LINE_A)).length;

/**
 * root/
 *   a/            stopped capture, started 2024-01-15 10:32, data 1.5 KB (1536 B of padding data + the two fixtures)
 *   b/            live capture, started 2024-03-01 08:00 +02:00
 *   nested/deeper/c/   capture only a recursive scan finds
 *   a/inner/      a capture inside a capture: never listed
 *   notes/        no metadata.json
 *   bad/          metadata.json that does not decode
 */
function makeTree() {
  const root = tempDir();
  const padding = 1536 - ZST_BYTES - LINE_B.length;
  makeCapture(join(root, "a"), { totalLines: 14_832_901, labelsSeen: ["app", "namespace"], files: { "2024-01-15T120000-000.jsonl": "x".repeat(padding) } });
  makeCapture(join(root, "b"), { started: "2024-03-01T08:00:00.5+02:00", stopped: "0001-01-01T00:00:00Z", totalLines: 0 });
  makeCapture(join(root, "nested", "deeper", "c"), { started: "2023-12-31T23:59:59Z", stopped: "2024-01-01T00:10:00Z", totalLines: 1000 });
  makeCapture(join(root, "a", "inner"), { started: "2025-01-01T00:00:00Z" });
  mkdirSync(join(root, "notes"));
  writeFileSync(join(root, "notes", "readme.txt"), "not a capture\n");
  mkdirSync(join(root, "bad"));
  writeFileSync(join(root, "bad", "metadata.json"), '{"started": 12}');
  return root;
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("logtap catalog (%s)", (_name, target) => {
  test("the table: newest first, columns padded to the widest cell + 2, the live capture (active)", async () => {
    const root = makeTree();
    const r = await runCli(["catalog", root], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const a = `${root}/a`.padEnd(root.length + 4);
    const b = `${root}/b`.padEnd(root.length + 4);
    expect(r.stdout).toBe(
      [
        `${"CAPTURE".padEnd(root.length + 4)}STARTED           STOPPED           FILES  ENTRIES     SIZE`,
        `${b}2024-03-01 08:00  (active)          2      0           ${ZST_BYTES + LINE_B.length}B`,
        `${a}2024-01-15 10:32  2024-01-15 10:40  3      14,832,901  1.5KB`,
        "",
      ].join("\n"),
    );
  });

  test("JSON: dir, started, stopped, files, entries, bytes, active, labels (only when known)", async () => {
    const root = makeTree();
    const r = await runCli(["catalog", root, "--json"], { target });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { dir: `${root}/b`, started: "2024-03-01T08:00:00.5+02:00", stopped: "0001-01-01T00:00:00Z", files: 2, entries: 0, bytes: ZST_BYTES + LINE_B.length, active: true },
      { dir: `${root}/a`, started: "2024-01-15T10:32:01.123456789Z", stopped: "2024-01-15T10:40:00Z", files: 3, entries: 14_832_901, bytes: 1536, active: false, labels: ["app", "namespace"] },
    ]);
    expect(Object.keys(JSON.parse(r.stdout)[1])).toEqual(["dir", "started", "stopped", "files", "entries", "bytes", "active", "labels"]);
    expect(r.stdout.startsWith('[\n  {\n    "dir": ')).toBe(true);
  });

  test("-r walks the whole tree but never into a capture", async () => {
    const root = makeTree();
    const r = await runCli(["catalog", "-r", root, "--format", "json"], { target });
    expect(JSON.parse(r.stdout).map((e: { dir: string }) => e.dir)).toEqual([`${root}/b`, `${root}/a`, `${root}/nested/deeper/c`]);
    const long = await runCli(["catalog", root, "--recursive"], { target });
    expect(long.stdout.split("\n")[3]).toStartWith(`${root}/nested/deeper/c  2023-12-31 23:59  2024-01-01 00:10  2      1,000`);
  });

  test("the directory itself counts when it is a capture; the default directory is the current one", async () => {
    const root = makeTree();
    const self = await runCli(["catalog", join(root, "a"), "--json"], { target });
    expect(JSON.parse(self.stdout).map((e: { dir: string }) => e.dir)).toEqual([`${root}/a/inner`, `${root}/a`]);
    const cwd = await runCli(["catalog", "--json"], { target, cwd: root });
    expect(JSON.parse(cwd.stdout).map((e: { dir: string }) => e.dir)).toEqual(["b", "a"]);
  });

  test("no captures: `No captures found.` and `[]`", async () => {
    const empty = tempDir();
    mkdirSync(join(empty, "just-a-dir"));
    expect(await runCli(["catalog", empty], { target })).toEqual({ code: 0, stdout: "No captures found.\n", stderr: "" });
    expect(await runCli(["catalog", empty, "--json"], { target })).toEqual({ code: 0, stdout: "[]\n", stderr: "" });
    expect((await runCli(["catalog", empty, "-r", "--json"], { target })).stdout).toBe("[]\n");
  });

  test("a missing directory exits 3 (also with -r); two directories are a usage error", async () => {
    const root = tempDir();
    const missing = join(root, "nope");
    expect(await runCli(["catalog", missing], { target })).toEqual({ code: 3, stdout: "", stderr: `error: read ${missing}: open ${missing}: no such file or directory\n` });
    expect((await runCli(["catalog", missing, "-r"], { target })).code).toBe(3);
    expect((await runCli(["catalog", root, root], { target })).code).toBe(2);
  });
});
