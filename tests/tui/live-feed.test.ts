/** The tap the dashboard reads: the observe stage, and the receiver feeding the ring after redaction. */

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EntryBatch } from "../../src/model/entry.ts";
import { ObserveStream } from "../../pipeline/stages/observe.ts";
import { Receiver } from "../../src/recv/receiver.ts";
import { LiveFeed, receiverCounters } from "../../src/tui/live/live-app.ts";
import { CaptureReader } from "../../src/capture/reader/capture-reader.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { entry } from "./tui-fixtures.ts";
import { waitFor } from "../support/wait-for.ts";

async function run(stage: TransformStream<EntryBatch, EntryBatch>, batches: EntryBatch[]): Promise<EntryBatch[]> {
  const out: EntryBatch[] = [];
  await new ReadableStream<EntryBatch>({
    start(c) {
      for (const b of batches) c.enqueue(b);
      c.close();
    },
  })
    .pipeThrough(stage)
    .pipeTo(new WritableStream({ write: (b) => void out.push(b) }));
  return out;
}

describe("ObserveStream", () => {
  test("passes batches on unchanged after the callback saw them", async () => {
    const seen: number[] = [];
    const batches = [{ entries: [entry(0, "a", "x")] }, { entries: [entry(1, "a", "y"), entry(2, "a", "z")] }];
    const out = await run(new ObserveStream((b) => void seen.push(b.entries.length)), batches);
    expect(seen).toEqual([1, 2]);
    expect(out).toEqual(batches);
    expect(out[0]).toBe(batches[0]!);
  });

  test("a returned promise holds the batch until it resolves", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const out: EntryBatch[] = [];
    const done = new ReadableStream<EntryBatch>({
      start(c) {
        c.enqueue({ entries: [entry(0, "a", "x")] });
        c.close();
      },
    })
      .pipeThrough(new ObserveStream(() => gate))
      .pipeTo(new WritableStream({ write: (b) => void out.push(b) }));
    await Bun.sleep(20);
    expect(out).toHaveLength(0);
    release();
    await done;
    expect(out).toHaveLength(1);
  });
});

const ns = (i: number) => String(BigInt(Date.parse("2025-01-15T10:00:00Z") + i) * 1_000_000n);

/** A receiver writing to a new directory that hands what it accepts to `feed`, as recv does for its dashboard. */
async function feedingReceiver(feed: LiveFeed, redact: { names: string[] } | null) {
  const dir = join(mkdtempSync(join(tmpdir(), "logtap-tui-feed-")), "cap");
  const receiver = await Receiver.start({
    listen: { hostname: "127.0.0.1", port: 0, loopback: true },
    dir,
    maxFileBytes: 1 << 30,
    maxDiskBytes: 0,
    compress: true,
    buffer: 1000,
    limits: { maxBody: 1 << 20, maxDecoded: 1 << 24 },
    redact,
    log: () => {},
    observe: feed.observe,
  });
  return { dir, receiver };
}

async function captured(dir: string): Promise<string[]> {
  const msgs: string[] = [];
  for await (const b of new CaptureReader(dir).batches()) msgs.push(...b.entries.map((e) => e.msg));
  return msgs;
}

describe("the receiver feeds the dashboard", () => {
  test("entries reach the ring after redaction, talkers count them, counters read the metrics", async () => {
    const feed = new LiveFeed(10);
    const { dir, receiver } = await feedingReceiver(feed, { names: ["email"] });
    try {
      const body = lokiJson([
        { labels: { app: "web" }, values: [[ns(0), "login by alice@example.com"], [ns(1), "two"], [ns(2), "three"]] },
        { labels: { app: "api" }, values: [[ns(3), "four"]] },
      ]);
      expect((await push(receiver.url.replace(/\/$/, ""), body, { "content-type": "application/json" })).status).toBe(204);
      for (let i = 0; i < 200 && feed.ring.pushed < 4; i++) await Bun.sleep(5);
      expect(feed.ring.pushed).toBe(4);
      const msgs = feed.ring.toArray().map((e) => e.msg);
      expect(msgs.slice(1)).toEqual(["two", "three", "four"]);
      // The dashboard shows what is written: redacted.
      expect(msgs[0]).not.toContain("alice@example.com");
      expect(msgs[0]).toStartWith("login by ");
      expect(feed.talkers.top(5).map((t) => [t.name, t.count])).toEqual([["web", 3], ["api", 1]]);
      const c = receiverCounters(receiver)();
      expect(c.received).toBe(4);
      expect(c.dropped).toBe(0);
    } finally {
      await receiver.stop();
    }
    const written = await captured(dir);
    expect(written[0]).not.toContain("alice@example.com");
    rmSync(join(dir, ".."), { recursive: true, force: true });
  });

  test("an observer that throws does not stop the capture", async () => {
    const feed = new LiveFeed(10);
    // The dashboard's ring breaks on every batch.
    let failures = 0;
    feed.ring.pushAll = () => {
      failures++;
      throw new Error("ring broke");
    };
    const { dir, receiver } = await feedingReceiver(feed, null);
    const url = receiver.url.replace(/\/$/, "");
    try {
      for (let b = 0; b < 3; b++) {
        const body = lokiJson([{ labels: { app: "web" }, values: [[ns(2 * b), `batch ${b} a`], [ns(2 * b + 1), `batch ${b} b`]] }]);
        expect((await push(url, body, { "content-type": "application/json" })).status).toBe(204);
        // Each batch went past the failing observer before the next is sent.
        await waitFor(() => failures > b, 5_000, `observer call for batch ${b}`);
      }
      expect(receiverCounters(receiver)().received).toBe(6);
    } finally {
      await receiver.stop();
    }
    // Every entry, sent before and after the observer failed, is in the capture.
    const written = await captured(dir);
    expect(written).toEqual(["batch 0 a", "batch 0 b", "batch 1 a", "batch 1 b", "batch 2 a", "batch 2 b"]);
    expect(failures).toBe(3);
    rmSync(join(dir, ".."), { recursive: true, force: true });
  });
});
