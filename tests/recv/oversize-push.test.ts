/**
 * A push larger than the whole ingest queue (issue 10 §4), against the real receiver on loopback: `--buffer 64` and
 * a push of 100 entries. An empty queue takes it whole in both overload modes (it could never fit otherwise: drop
 * cut it every time, 429 had a retrying client resend it forever); a queue holding anything answers 429 "retry later"
 * (it fits once the queue drains) or keeps what fits (drop); a push that fits the capacity meets overload exactly as
 * before. The capture on disk and `/metrics` agree: written + dropped == sent.
 */

import { describe, expect, test } from "bun:test";
import { cliTargets, type CliTarget } from "../support/cli.ts";
import { capturedByTag, fillQueue, FILL, PROTOBUF, range, SLOW_WRITER, tagged, waitForQueueLength, waitForReady } from "../support/full-queue.ts";
import { push } from "../support/loki-bodies.ts";
import { startReceiver, type RunningReceiver } from "../support/receiver-process.ts";

const CAP = 64;
const BIG = 100;
const FULL_429 = `ingest queue full (${CAP}/${CAP} entries): retry later\n`;

const counters = (m: Record<string, number>) => ({
  received: m.logtap_logs_received_total,
  dropped: m.logtap_logs_dropped_total,
  backpressure: m.logtap_backpressure_events_total,
  rejected429: m['logtap_push_rejected_total{status="429"}'] ?? 0,
});

/** Each tag's entry indices in the capture, as the zstd CLI reads it back. */
const onDisk = (rx: RunningReceiver) => Object.fromEntries(capturedByTag(rx.dir));

/**
 * A queue holding the 30 entries of a push "part" while the slow writer is still busy, then `probe`. That state
 * lasts as long as the stages behind the queue stay busy; on a loaded machine they can drain it before the probe
 * arrives, which the probe reports (`held` false: the queue was empty again, so the big push was taken whole).
 * Such a run proves nothing about a partly full queue and is repeated on a new receiver, a few times at most.
 */
async function partlyFull<T extends { held: boolean }>(
  mode: "429" | "drop",
  probe: (rx: RunningReceiver) => Promise<T>,
  target: CliTarget,
): Promise<{ rx: RunningReceiver; fills: string[]; first: T }> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const rx = await startReceiver(["--buffer", String(CAP), "--on-overload", mode, ...SLOW_WRITER], { target });
    const fills = await fillQueue(rx);
    await waitForReady(rx, 200);
    expect((await push(rx.url, tagged("part", 30), PROTOBUF)).status).toBe(204);
    const first = await probe(rx);
    if (first.held) return { rx, fills, first };
    await rx.stop("SIGKILL");
  }
  throw new Error("the queue never stayed partly full until the next push arrived, in 5 receivers");
}

for (const target of cliTargets()) {
  describe(`a push larger than --buffer [${target.name}]`, () => {
    for (const mode of ["429", "drop"] as const) {
      test(`--on-overload ${mode}: an empty queue takes a ${BIG}-entry push whole into --buffer ${CAP}, every time`, async () => {
        const rx = await startReceiver(["--buffer", String(CAP), "--on-overload", mode], { target });
        for (const tag of ["a", "b", "c"]) {
          await waitForQueueLength(rx, 0);
          expect(await push(rx.url, tagged(tag, BIG), PROTOBUF)).toEqual({ status: 204, text: "" });
        }
        const m = await rx.metrics();
        expect((await rx.stop()).code).toBe(0);
        expect(counters(m)).toEqual({ received: 3 * BIG, dropped: 0, backpressure: 0, rejected429: 0 });
        expect(onDisk(rx)).toEqual({ a: range(BIG), b: range(BIG), c: range(BIG) });
      });
    }

    test("--on-overload 429: a genuinely full queue still refuses a push that fits --buffer: 429 retry later, Retry-After, nothing of it written", async () => {
      const rx = await startReceiver(["--buffer", String(CAP), "--on-overload", "429", ...SLOW_WRITER], { target });
      const fills = await fillQueue(rx);
      await waitForReady(rx, 200);
      expect((await push(rx.url, tagged("full", CAP), PROTOBUF)).status).toBe(204);
      expect((await fetch(`${rx.url}/ready`)).status).toBe(503);
      const res = await fetch(`${rx.url}/loki/api/v1/push`, { method: "POST", body: tagged("over", CAP) as BodyInit, headers: PROTOBUF });
      expect([res.status, res.headers.get("retry-after"), await res.text()]).toEqual([429, "1", FULL_429]);
      const m = await rx.metrics();
      expect((await rx.stop()).code).toBe(0);
      expect(counters(m)).toEqual({ received: fills.length * FILL + CAP, dropped: 0, backpressure: CAP, rejected429: 1 });
      expect(onDisk(rx)).toEqual({ ...Object.fromEntries(fills.map((t) => [t, range(FILL)])), full: range(CAP) });
    }, 30_000);

    test("--on-overload drop: a genuinely full queue still drops a push that fits --buffer (204, counted, not written)", async () => {
      const rx = await startReceiver(["--buffer", String(CAP), ...SLOW_WRITER], { target });
      const fills = await fillQueue(rx);
      await waitForReady(rx, 200);
      expect((await push(rx.url, tagged("full", CAP), PROTOBUF)).status).toBe(204);
      expect((await fetch(`${rx.url}/ready`)).status).toBe(503);
      expect(await push(rx.url, tagged("over", CAP), PROTOBUF)).toEqual({ status: 204, text: "" });
      const m = await rx.metrics();
      expect((await rx.stop()).code).toBe(0);
      expect(counters(m)).toEqual({ received: fills.length * FILL + CAP, dropped: CAP, backpressure: CAP, rejected429: 0 });
      const disk = onDisk(rx);
      expect(disk).toEqual({ ...Object.fromEntries(fills.map((t) => [t, range(FILL)])), full: range(CAP) });
      const sent = (fills.length * FILL) + 2 * CAP;
      expect(Object.values(disk).reduce((n, idx) => n + idx.length, 0) + m.logtap_logs_dropped_total!).toBe(sent);
    }, 30_000);

    test("--on-overload 429: against a partly full queue it is 429 retry later naming --buffer, and a retrying client gets it in once the queue drains", async () => {
      const { rx, fills, first } = await partlyFull("429", async (rx) => {
        const res = await fetch(`${rx.url}/loki/api/v1/push`, { method: "POST", body: tagged("big", BIG) as BodyInit, headers: PROTOBUF });
        return { res, text: await res.text(), held: res.status === 429 };
      }, target);
      expect([first.res.status, first.res.headers.get("retry-after"), first.text]).toEqual([
        429,
        "1",
        `ingest queue full (30/${CAP} entries; a push of ${BIG}, more than --buffer, needs it empty): retry later\n`,
      ]);
      let refused = 1;
      while ((await push(rx.url, tagged("big", BIG), PROTOBUF)).status === 429) {
        refused++;
        expect(refused).toBeLessThan(200);
        await Bun.sleep(20);
      }
      // Taken by the empty queue while the writer is still behind: the queue is over its mark, /ready says so, and
      // nothing else fits until it has drained — the queue never holds more than one such push.
      expect((await rx.metrics()).logtap_writer_queue_length).toBe(BIG);
      expect((await fetch(`${rx.url}/ready`)).status).toBe(503);
      expect(await push(rx.url, tagged("one", 1), PROTOBUF)).toEqual({
        status: 429,
        text: `ingest queue full (${BIG}/${CAP} entries): retry later\n`,
      });
      const m = await rx.metrics();
      expect((await rx.stop()).code).toBe(0);
      expect(counters(m)).toEqual({ received: fills.length * FILL + 30 + BIG, dropped: 0, backpressure: refused * BIG + 1, rejected429: refused + 1 });
      expect(onDisk(rx)).toEqual({ ...Object.fromEntries(fills.map((t) => [t, range(FILL)])), part: range(30), big: range(BIG) });
    }, 30_000);

    test("--on-overload drop: a partly full queue keeps what fits of it; an empty one takes it whole even while the writer is behind", async () => {
      const { rx, fills } = await partlyFull("drop", async (rx) => {
        expect((await push(rx.url, tagged("cut", BIG), PROTOBUF)).status).toBe(204);
        return { held: (await rx.metrics()).logtap_logs_dropped_total === BIG - (CAP - 30) };
      }, target);
      await waitForQueueLength(rx, 0);
      expect((await push(rx.url, tagged("big", BIG), PROTOBUF)).status).toBe(204);
      expect((await rx.metrics()).logtap_writer_queue_length).toBe(BIG);
      expect((await fetch(`${rx.url}/ready`)).status).toBe(503);
      expect((await push(rx.url, tagged("one", 1), PROTOBUF)).status).toBe(204);
      const m = await rx.metrics();
      expect((await rx.stop()).code).toBe(0);
      const kept = CAP - 30;
      expect(counters(m)).toEqual({ received: fills.length * FILL + 30 + kept + BIG, dropped: BIG - kept + 1, backpressure: BIG - kept + 1, rejected429: 0 });
      const disk = onDisk(rx);
      expect(disk).toEqual({ ...Object.fromEntries(fills.map((t) => [t, range(FILL)])), part: range(30), cut: range(kept), big: range(BIG) });
      const sent = fills.length * FILL + 30 + BIG + BIG + 1;
      expect(Object.values(disk).reduce((n, idx) => n + idx.length, 0) + m.logtap_logs_dropped_total!).toBe(sent);
    }, 30_000);
  });
}
