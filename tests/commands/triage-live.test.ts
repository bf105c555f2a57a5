/**
 * Triage on captures that change while it reads: a live receiver rotating (and deleting under a disk cap), and
 * files appearing and vanishing between the plan and the read (the catch-up pass and the skip note).
 */

import { expect, test } from "bun:test";
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { startReceiver, tempDir, type RunningReceiver } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { readIndex } from "../../src/capture/index-file.ts";
import { scanCapture } from "../../src/analysis/triage/scan-capture.ts";
import { app, T0 } from "./triage-fixtures.ts";

/** Pushes batches of 50 lines (every fifth an error) until stopped; counts what the receiver accepted. */
function startPusher(url: string) {
  const state = { sent: 0, errors: 0, running: true, done: Promise.resolve() };
  state.done = (async () => {
    for (let b = 0; state.running; b++) {
      const values = Array.from({ length: 50 }, (_, i) => {
        const n = b * 50 + i;
        return [`${1_700_000_000_000_000_000 + n * 1_000_000}`, n % 5 === 0 ? `upstream timeout after ${n}ms` : `live line ${n} ok`] as [string, string];
      });
      const streams = [{ labels: { app: b % 2 ? "api" : "web" }, values }];
      if ((await push(url, lokiJson(streams), { "content-type": "application/json" })).status === 204) {
        state.sent += 50;
        state.errors += 10;
      }
      await Bun.sleep(5);
    }
  })();
  return state;
}

/** Waits until the receiver has rotated once more than now (so each triage run reads a capture that changed). */
async function anotherRotation(r: RunningReceiver): Promise<void> {
  const rotations = async () => (await r.metrics())['logtap_rotation_total{reason="size"}'] ?? 0;
  const before = await rotations();
  await waitFor(async () => (await rotations()) > before, 10_000, "another rotation");
}

/** Stderr of a triage run on a live capture may only hold these lines. */
const EXPECTED_STDERR = /^(Triage: .*|Catch-up: scanning \d+ new files? added during triage|Skipping rotated file: .*|warning: .* incomplete zstd frame .*|\{"exit_code":6,"error":"findings".*)$/;

test.each(cliTargets().map((t) => [t.name, t] as const))("triage --jobs 2 on a live capture while the receiver rotates (%s)", async (_n, target) => {
  const r = await startReceiver(["--max-file", "40KB"]);
  const pusher = startPusher(r.url);
  try {
    let last = -1;
    for (let round = 0; round < 4; round++) {
      await anotherRotation(r);
      const t = await runCli(["triage", r.dir, "--json", "--jobs", "2"], { target });
      expect(t.code).toBe(6);
      for (const line of t.stderr.trim().split("\n")) expect(line).toMatch(EXPECTED_STDERR);
      const j = JSON.parse(t.stdout);
      expect(j.total_lines).toBeGreaterThanOrEqual(last);
      expect(j.total_lines).toBeLessThanOrEqual(pusher.sent + 50);
      expect(j.error_lines * 5).toBeLessThanOrEqual(j.total_lines + 40);
      last = j.total_lines;
    }
    expect(last).toBeGreaterThan(0);
  } finally {
    pusher.running = false;
    await pusher.done;
  }
  expect((await r.stop()).code).toBe(0);
  expect(readIndex(r.dir).length).toBeGreaterThan(3);
  const final = JSON.parse((await runCli(["triage", r.dir, "--json", "--jobs", "2", "--exit-zero"], { target })).stdout);
  expect([final.total_lines, final.error_lines]).toEqual([pusher.sent, pusher.errors]);
  expect(final.errors).toEqual([expect.objectContaining({ signature: "upstream timeout after <DUR>", count: pusher.errors })]);
  expect(final.talkers.app.map((t: { value: string }) => t.value).sort()).toEqual(["api", "web"]);
}, 30_000); // a live receiver and five triage runs on a shared machine

test("a disk cap deleting files during the scan: skipped, never an error", async () => {
  const r = await startReceiver(["--max-file", "20KB", "--max-disk", "120KB"]);
  const pusher = startPusher(r.url);
  try {
    for (let round = 0; round < 5; round++) {
      await anotherRotation(r);
      const t = await runCli(["triage", r.dir, "--json", "--jobs", "2"]);
      expect(t.code).toBe(6);
      for (const line of t.stderr.trim().split("\n")) expect(line).toMatch(EXPECTED_STDERR);
      expect(JSON.parse(t.stdout).total_lines).toBeLessThan(pusher.sent + 50);
    }
  } finally {
    pusher.running = false;
    await pusher.done;
  }
  expect((await r.stop()).code).toBe(0);
}, 30_000);

test("files that appear during the scan are caught up; files that vanish are skipped with a note", async () => {
  const dir = join(tempDir(), "changing");
  const entries = Array.from({ length: 300 }, (_, i) => ({ sec: T0 + i, nsec: 0, labels: app("api"), msg: i % 3 === 0 ? "disk error" : "fine" }));
  await writeOurCapture(dir, entries, { maxFileBytes: 8_000 });
  const files = readIndex(dir);
  expect(files.length).toBeGreaterThanOrEqual(3);
  const notes: string[] = [];
  let changed = false;
  const outcome = await scanCapture(dir, {
    jobs: 1,
    bucketSec: 60,
    maxSignatures: 100,
    onNote: (n) => notes.push(n),
    onProgress: () => {
      if (changed) return;
      changed = true;
      // After the first file: the last one is deleted (disk cap), and a new one appears (rotation).
      copyFileSync(join(dir, files[1]!.file), join(dir, "9999-12-31T235959-000.jsonl.zst"));
      rmSync(join(dir, files.at(-1)!.file));
    },
  });
  expect(notes).toEqual([`Skipping rotated file: ${files.at(-1)!.file} (removed during the scan)`, "Catch-up: scanning 1 new file added during triage"]);
  const expected = files.slice(0, -1).reduce((n, f) => n + f.lines, 0) + files[1]!.lines;
  expect(outcome.totals.lines).toBe(expected);
});
