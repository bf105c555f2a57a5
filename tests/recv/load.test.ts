import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startReceiver } from "../support/receiver-process.ts";
import { dataFiles } from "../support/capture-files.ts";
import { lokiProtobuf, push } from "../support/loki-bodies.ts";
import { capturedLines, SLOW_WRITER } from "../support/full-queue.ts";
import { readIndex } from "../../src/capture/index-file.ts";

function body(sender: number, req: number, n: number): Uint8Array {
  return lokiProtobuf([
    {
      labels: { app: `svc${sender % 7}`, sender: String(sender) },
      values: Array.from({ length: n }, (_, i) => [`${1700000000000000000 + req * 1000 + i}`, `sender=${sender} req=${req} i=${i} ${"p".repeat(80)}`] as [string, string]),
    },
  ]);
}

async function waitDrained(metrics: () => Promise<Record<string, number>>) {
  for (let i = 0; i < 100; i++) {
    const m = await metrics();
    if (m.logtap_writer_queue_length === 0 && m.logtap_logs_written_total === m.logtap_logs_received_total) return m;
    await Bun.sleep(100);
  }
  throw new Error("receiver did not drain");
}

describe("recv under load", () => {
  test("100 concurrent senders with a tiny queue: every request answered, written + dropped == sent, matching /metrics", async () => {
    // A slow writer (SLOW_WRITER) takes a few thousand lines a second, far less than the senders push: drops
    // whatever the machine speed. Pushes larger than the queue would not guarantee them (an empty queue takes one whole).
    const r = await startReceiver(["--buffer", "100", ...SLOW_WRITER]);
    const SENDERS = 100;
    const REQS = 5;
    const N = 150;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, s) => {
        for (let q = 0; q < REQS; q++) statuses.push((await push(r.url, body(s, q, N), { "content-type": "application/x-protobuf" })).status);
      }),
    );
    const sent = SENDERS * REQS * N;
    expect(statuses.length).toBe(SENDERS * REQS);
    expect(statuses.every((s) => s === 204)).toBe(true);
    const m = await waitDrained(() => r.metrics());
    expect(m.logtap_logs_received_total + m.logtap_logs_dropped_total).toBe(sent);
    expect(m.logtap_logs_dropped_total).toBeGreaterThan(0);
    expect(m.logtap_backpressure_events_total).toBe(m.logtap_logs_dropped_total);
    expect(m.logtap_active_connections).toBe(0);
    const { code, stderr } = await r.stop("SIGTERM");
    expect(code).toBe(0);
    const onDisk = capturedLines(r.dir).length;
    expect(stderr).toContain(`done: ${onDisk} lines`);
    expect(onDisk + m.logtap_logs_dropped_total).toBe(sent);
  }, 30_000);

  test("rotation and the disk cap hold under concurrent load; the index names only existing files", async () => {
    const maxDisk = 600_000;
    const r = await startReceiver(["--max-file", "100KB", "--max-disk", String(maxDisk), "--compress=false"]);
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        let total = 0;
        for (const f of readdirSync(r.dir)) {
          try {
            total += statSync(join(r.dir, f)).size;
          } catch {
            // deleted while listing
          }
        }
        peak = Math.max(peak, total);
        await Bun.sleep(5);
      }
    })();
    await Promise.all(
      Array.from({ length: 10 }, async (_, s) => {
        for (let q = 0; q < 20; q++) expect((await push(r.url, body(s, q, 100), { "content-type": "application/x-protobuf" })).status).toBe(204);
      }),
    );
    const m = await waitDrained(() => r.metrics());
    sampling = false;
    await sampler;
    expect((await r.stop("SIGTERM")).code).toBe(0);
    const index = readIndex(r.dir);
    // The cap is checked before each frame is written, so usage can pass it by at most the frame being written.
    const largestFrame = Math.max(...index.flatMap((e) => e.frames!.map((f) => f.length)));
    expect(peak).toBeLessThanOrEqual(maxDisk + largestFrame);
    expect(m.logtap_disk_cap_deletions_total).toBeGreaterThan(0);
    expect(m.logtap_rotation_total ?? m['logtap_rotation_total{reason="size"}']).toBeGreaterThan(0);
    expect(index.map((e) => e.file).sort()).toEqual(dataFiles(r.dir));
    for (const e of index) expect(e.bytes).toBeLessThanOrEqual(100 * 1024);
    const audit = readFileSync(join(r.dir, "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const deletions = audit.filter((a) => a.event === "file_deleted");
    expect(deletions.length).toBe(m.logtap_disk_cap_deletions_total);
    expect(deletions[0]).toEqual({ timestamp: expect.any(String), event: "file_deleted", file: expect.stringMatching(/\.jsonl$/), bytes: expect.any(Number), reason: "disk_cap" });
  });
});
