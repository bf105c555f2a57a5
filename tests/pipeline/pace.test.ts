import { expect, test } from "bun:test";
import { PaceStream } from "../../pipeline/stages/pace.ts";
import type { CaptureBatch } from "../../src/model/capture-batch.ts";

const labels = Object.freeze({ app: "a" });

/** Runs the stage on a virtual clock that sleeps instantly, so the test checks decisions, not timing. */
async function paced(speeds: number[], nsecs: number[]): Promise<{ waits: number[]; batches: number[][] }> {
  const waits: number[] = [];
  let call = 0;
  let now = 0;
  const clock = { now: () => now, sleep: async (ms: number) => void (waits.push(ms), (now += ms)) };
  const stage = new PaceStream({ speed: () => speeds[Math.min(call++, speeds.length - 1)]! }, clock);
  const batch: CaptureBatch = { file: "f", entries: nsecs.map((n, i) => ({ sec: 100 + Math.floor(n / 1e9), nsec: n % 1e9, labels, msg: String(i) })) };
  const out: number[][] = [];
  const done = stage.readable.pipeTo(new WritableStream({ write: (b) => void out.push(b.entries.map((e) => Number(e.msg))) }));
  const w = stage.writable.getWriter();
  await w.write(batch);
  await w.close();
  await done;
  return { waits, batches: out };
}

test("entries are released at anchor + Δts / speed, splitting the batch where it waits", async () => {
  const { waits, batches } = await paced([1], [0, 200e6, 400e6, 400e6, 800e6]);
  expect(batches).toEqual([[0], [1], [2, 3], [4]]);
  expect(waits).toEqual([200, 200, 400]);
});

test("speed 4 waits a quarter as long; speed 0 never waits; out-of-order entries go at once", async () => {
  const four = await paced([4], [0, 400e6, 800e6]);
  expect(four.waits).toEqual([100, 100]);
  expect((await paced([0], [0, 5e9, 9e9])).waits).toEqual([]);
  expect((await paced([1], [0, 500e6, 100e6])).waits.length).toBe(1);
});

test("a speed change re-anchors on the next entry instead of jumping", async () => {
  // Speed 1 for the anchor and the first wait, then 100x: each 10 s gap that follows costs 100 ms, not 10 s.
  const { waits } = await paced([1, 1, 100, 100], [0, 100e6, 10.1e9, 20.1e9]);
  expect(waits).toEqual([100, 100, 100]);
});
