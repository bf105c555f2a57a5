/**
 * The sender's delivery rules against a scripted receiver: in order, one push at a time; retries with backoff for
 * 5xx/429/transport errors (Retry-After honoured), none for other 4xx; after LOGTAP_RETRY_MAX attempts the
 * receiver is down and pushes go to the bounded buffer, oldest evicted and counted; the first success drains it in
 * order; close() gives what is left a bounded last chance.
 */

import { describe, expect, test } from "bun:test";
import { ForwarderMetrics } from "../../src/forward/forwarder-metrics.ts";
import type { PushBatch } from "../../src/forward/push-batch.ts";
import type { PushResult, Pusher } from "../../src/forward/push-client.ts";
import { Sender } from "../../src/forward/sender.ts";
import { waitFor } from "../support/wait-for.ts";

const id = (b: PushBatch) => new TextDecoder().decode(b.body);
const batch = (name: string, bytes = 100, lines = 1): PushBatch => ({ body: new TextEncoder().encode(name), contentType: "text/plain", lines, estimatedBytes: bytes });

/** A receiver whose answers a test switches; it records every attempt. */
class ScriptedReceiver implements Pusher {
  attempts: string[] = [];
  delivered: string[] = [];
  answer: (name: string) => PushResult = () => ({ kind: "ok" });
  async push(b: PushBatch): Promise<PushResult> {
    await Bun.sleep(0);
    this.attempts.push(id(b));
    const r = this.answer(id(b));
    if (r.kind === "ok") this.delivered.push(id(b));
    return r;
  }
}

const DOWN: PushResult = { kind: "retry", error: "POST http://recv/loki/api/v1/push: connect ECONNREFUSED" };

function setup(o: { bufferBytes?: number; retryMax?: number; delayMs?: (n: number) => number } = {}) {
  const receiver = new ScriptedReceiver();
  const metrics = new ForwarderMetrics();
  const logs: string[] = [];
  const delays: number[] = [];
  const sender = new Sender({
    pusher: receiver,
    bufferBytes: o.bufferBytes ?? 1000,
    retryMax: o.retryMax ?? 3,
    metrics,
    log: (l) => logs.push(l),
    delayMs: (n) => {
      const d = (o.delayMs ?? (() => 1))(n);
      delays.push(d);
      return d;
    },
  });
  return { receiver, metrics, logs, delays, sender };
}

describe("sender", () => {
  test("pushes go one at a time, in order; a writer waits while two are queued", async () => {
    const { receiver, metrics, sender } = setup();
    const settled: string[] = [];
    const sends = ["a", "b", "c", "d"].map((n) => sender.send(batch(n, 10, 2)).then(() => settled.push(n)));
    await Promise.resolve();
    // a is on the wire and b queued behind it: their writers go on; c and d wait for room.
    expect(settled).toEqual(["a", "b"]);
    await Promise.all(sends);
    await waitFor(() => receiver.delivered.length === 4, 2000, "all four delivered");
    expect(receiver.attempts).toEqual(["a", "b", "c", "d"]);
    expect(settled).toEqual(["a", "b", "c", "d"]);
    expect(metrics.linesPushed.value).toBe(8);
    expect(metrics.pushes.value).toBe(4);
    expect(metrics.retries.value).toBe(0);
  });

  test("5xx and transport errors are retried with upstream's backoff; writers beyond the queue wait meanwhile", async () => {
    const real = await import("../../src/forward/backoff.ts");
    expect([0, 1, 2, 3, 4, 5, 6, 9].map((n) => real.retryDelayMs(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    const { receiver, metrics, sender, delays } = setup({ retryMax: 5, delayMs: () => 20 });
    let failures = 2;
    receiver.answer = () => (failures-- > 0 ? { kind: "retry", error: "POST …: 503 unavailable" } : { kind: "ok" });
    await sender.send(batch("a"));
    await sender.send(batch("b"));
    let third = false;
    const c = sender.send(batch("c")).then(() => (third = true));
    await Bun.sleep(5);
    expect(third).toBe(false);
    await c;
    expect(receiver.delivered[0]).toBe("a");
    expect(receiver.attempts.slice(0, 3)).toEqual(["a", "a", "a"]);
    expect(delays).toEqual([20, 20]);
    expect(metrics.retries.value).toBe(2);
    expect(sender.receiverDown).toBe(false);
    await waitFor(() => receiver.delivered.length === 3, 2000, "all delivered");
    expect(receiver.delivered).toEqual(["a", "b", "c"]);
  });

  test("a 429's Retry-After sets the wait", async () => {
    const { receiver, sender, delays, logs } = setup({ delayMs: () => 1 });
    let first = true;
    receiver.answer = () => (first ? ((first = false), { kind: "retry", error: "429 queue full", retryAfterMs: 40 }) : { kind: "ok" });
    const t0 = performance.now();
    await sender.send(batch("a"));
    await waitFor(() => receiver.delivered.length === 1, 2000, "the push delivered");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
    expect(delays).toEqual([]);
    expect(logs).toContain("push attempt 1/3 failed, retrying in 0.04s: 429 queue full");
  });

  test("a 4xx is not retried: the push is dropped and counted, the next one goes on", async () => {
    const { receiver, metrics, sender, logs } = setup();
    receiver.answer = (n) => (n === "bad" ? { kind: "reject", status: 400, error: "POST …: 400 invalid labels" } : { kind: "ok" });
    await sender.send(batch("bad", 10, 7));
    await sender.send(batch("good"));
    await waitFor(() => receiver.attempts.length === 2, 2000, "both pushes tried");
    expect(receiver.attempts).toEqual(["bad", "good"]);
    expect(metrics.drops.get("rejected")).toBe(7);
    expect(metrics.retries.value).toBe(0);
    expect(logs).toEqual(["push rejected, dropping 7 lines: POST …: 400 invalid labels"]);
  });

  test("down after LOGTAP_RETRY_MAX attempts: buffered without waiting, oldest evicted and counted, drained in order once back", async () => {
    const { receiver, metrics, sender, logs } = setup({ bufferBytes: 300, retryMax: 3, delayMs: () => 50 });
    receiver.answer = () => DOWN;
    await sender.send(batch("b1"));
    await waitFor(() => sender.receiverDown, 2000, "the receiver counted as down");
    expect(receiver.attempts).toEqual(["b1", "b1", "b1"]);
    expect(sender.receiverDown).toBe(true);
    expect(logs).toContain(`push error, buffering 1 lines: ${DOWN.error}`);
    // Down: each send returns at once; 300 bytes hold three 100-byte pushes, so b1 and b2 are evicted.
    for (const n of ["b2", "b3", "b4", "b5"]) await sender.send(batch(n));
    expect(metrics.bufferUsage.collect!()).toBe(300);
    expect(metrics.bufferLines.collect!()).toBe(3);
    expect(metrics.drops.get("evicted")).toBe(2);
    expect(logs).toContain("retry buffer full (300 bytes), evicted 1 oldest batches (1 lines)");
    await waitFor(() => receiver.attempts.length >= 5, 5000, "drain retries");
    expect(logs.some((l) => l.startsWith("drain retry failed, 3 batches re-buffered: "))).toBe(true);
    receiver.answer = () => ({ kind: "ok" });
    await waitFor(() => receiver.delivered.length === 3, 5000, "the drain");
    expect(receiver.delivered).toEqual(["b3", "b4", "b5"]);
    expect(sender.receiverDown).toBe(false);
    expect(metrics.bufferUsage.collect!()).toBe(0);
    expect(logs).toContain("push succeeded, draining 2 buffered batches (2 lines)");
    // Up again: pushes are delivered as they come.
    await sender.send(batch("b6"));
    await waitFor(() => receiver.delivered.at(-1) === "b6", 2000, "b6 delivered");
    expect(metrics.linesPushed.value).toBe(4);
  });

  test("the backoff while down grows to the cap and is cut short by close()", async () => {
    const { receiver, metrics, sender, delays } = setup({ retryMax: 2, delayMs: (n) => Math.min(60_000, 1000 * 2 ** n) });
    receiver.answer = () => DOWN;
    const sent = sender.send(batch("a", 100, 4));
    // The first retry waits 1 s: close() must not wait for it.
    await waitFor(() => receiver.attempts.length === 1, 2000, "first attempt");
    const t0 = performance.now();
    await sender.close(300);
    await sent;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(delays[0]).toBe(1000);
    expect(metrics.drops.get("shutdown")).toBe(4);
    expect(receiver.attempts.length).toBeGreaterThanOrEqual(2);
  });

  test("close() delivers what is left when the receiver answers", async () => {
    const { receiver, metrics, sender } = setup({ retryMax: 1, delayMs: () => 10_000 });
    receiver.answer = () => DOWN;
    await sender.send(batch("a"));
    await sender.send(batch("b"));
    receiver.answer = () => ({ kind: "ok" });
    await sender.close(5000);
    expect(receiver.delivered).toEqual(["a", "b"]);
    expect(metrics.drops.get("shutdown")).toBe(0);
  });
});
