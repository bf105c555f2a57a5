import { describe, expect, test } from "bun:test";
import { lstatSync, readFileSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { startReceiver } from "../support/receiver-process.ts";
import { entriesViaZstdCli, dataFiles } from "../support/capture-files.ts";
import { lokiProtobuf } from "../support/loki-bodies.ts";
import { waitFor } from "../support/wait-for.ts";
import { captureSource } from "../../pipeline/sources/capture-source.ts";
import type { ReadProblem } from "../../src/capture/reader/read-problem.ts";
import { readMetadata } from "../../src/capture/metadata.ts";
import { ZERO_TIME_TEXT } from "../../src/capture/timestamp.ts";

function body(sender: number, req: number): Uint8Array {
  return lokiProtobuf([
    { labels: { app: "s" + sender }, values: Array.from({ length: 50 }, (_, i) => [`${1700000000000000000 + i}`, `${sender}/${req}/${i}`] as [string, string]) },
  ]);
}

/** Senders that push until told to stop, remembering which requests were acknowledged with 204. */
function keepPushing(url: string, senders: number) {
  const acked = new Set<string>();
  let running = true;
  const done = Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      for (let q = 0; running; q++) {
        try {
          const res = await fetch(url + "/loki/api/v1/push", { method: "POST", body: body(s, q) as BodyInit, headers: { "content-type": "application/x-protobuf" } });
          if (res.status === 204) acked.add(`${s}/${q}`);
        } catch {
          return; // the receiver is gone
        }
      }
    }),
  );
  return { acked, stop: async () => { running = false; await done; } };
}

describe("recv shutdown and crashes", () => {
  test("SIGTERM under load: nothing acknowledged is lost, metadata is finalised", async () => {
    const r = await startReceiver();
    const load = keepPushing(r.url, 8);
    // Under load: the signal comes once plenty of pushes have been acknowledged (and more are in flight).
    await waitFor(() => load.acked.size >= 40, 10_000, "40 acknowledged pushes");
    const exit = r.stop("SIGTERM");
    await load.stop();
    const { code, stderr } = await exit;
    expect(code).toBe(0);
    expect(stderr).toContain("shutting down...");
    expect(load.acked.size).toBeGreaterThan(10);
    const onDisk = new Set(entriesViaZstdCli(r.dir).map((e) => e.msg.split("/").slice(0, 2).join("/")));
    for (const req of load.acked) expect(onDisk.has(req)).toBe(true);
    const meta = readMetadata(r.dir);
    expect(meta.stopped).not.toBe(ZERO_TIME_TEXT);
    expect(meta.total_lines).toBe(entriesViaZstdCli(r.dir).length);
    expect(meta.labels_seen).toEqual(["app"]);
    const audit = readFileSync(join(r.dir, "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(audit[0].event).toBe("server_started");
    expect(audit.at(-1).event).toBe("server_stopped");
    expect(audit.filter((a) => a.event === "loki_push_received").length).toBeGreaterThanOrEqual(load.acked.size);
    expect(audit.some((a) => a.event === "file_rotated")).toBe(true);
  });

  test("SIGKILL mid-ingest: every complete frame is readable; a torn tail is only a warning", async () => {
    const r = await startReceiver();
    const load = keepPushing(r.url, 4);
    let written = 0;
    for (let i = 0; i < 100 && written < 5000; i++) {
      await Bun.sleep(100);
      written = (await r.metrics()).logtap_logs_written_total!;
    }
    await r.stop("SIGKILL");
    await load.stop();
    expect(written).toBeGreaterThanOrEqual(5000);
    // No index line and a "live" metadata: exactly what a crash leaves.
    expect(readMetadata(r.dir).stopped).toBe(ZERO_TIME_TEXT);
    expect(dataFiles(r.dir).length).toBe(1);
    const problems: ReadProblem[] = [];
    let read = 0;
    for await (const b of captureSource(r.dir, { onProblem: (p) => problems.push(p) })) read += b.entries.length;
    expect(read).toBeGreaterThanOrEqual(written);
    expect(problems.every((p) => p.kind === "torn-tail")).toBe(true);
  });
});

describe("recv on a disk that fills for the index and the final metadata", () => {
  // /dev/full answers every write with ENOSPC: index.jsonl and metadata.json.tmp made links to it are files on a
  // full disk, without needing one (data files are the real thing; the disk-full loss of lines is the writer's).
  test("rotation and stop go on: data files read as orphans, metadata.json finished in place, exit 0", async () => {
    const rx = await startReceiver(["--max-file", "20KB"]);
    symlinkSync("/dev/full", join(rx.dir, "index.jsonl"));
    symlinkSync("/dev/full", join(rx.dir, "metadata.json.tmp"));
    for (let q = 0; q < 20; q++) {
      const res = await fetch(rx.url + "/loki/api/v1/push", { method: "POST", body: body(0, q) as BodyInit, headers: { "content-type": "application/x-protobuf" } });
      expect(res.status).toBe(204);
    }
    await waitFor(async () => (await rx.metrics())["logtap_logs_written_total"] === 1000);
    const { code, stderr } = await rx.stop();
    expect(code).toBe(0);
    const files = dataFiles(rx.dir);
    expect(files.length).toBeGreaterThan(2);
    // One line per file the index could not name, none claiming lost lines.
    const notes = stderr.split("\n").filter((l) => l.startsWith("write error:"));
    expect(notes.length).toBe(files.length);
    for (const n of notes) expect(n).toMatch(/^write error: index\.jsonl not updated for \S+\.jsonl\.zst, which is read without it: ENOSPC: no space left on device/);
    expect(stderr).toContain("done: 1000 lines,");
    unlinkSync(join(rx.dir, "index.jsonl"));
    expect(lstatSync(join(rx.dir, "metadata.json.tmp"), { throwIfNoEntry: false })).toBeUndefined();
    const m = readMetadata(rx.dir);
    expect(m.stopped).not.toBe(ZERO_TIME_TEXT);
    expect(m.total_lines).toBe(1000);
    const msgs: string[] = [];
    for await (const b of captureSource(rx.dir)) for (const e of b.entries) msgs.push(e.msg);
    expect(msgs.sort()).toEqual(Array.from({ length: 20 }, (_, q) => Array.from({ length: 50 }, (_, i) => `0/${q}/${i}`)).flat().sort());
  });
});
