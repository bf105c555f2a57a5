import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
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
