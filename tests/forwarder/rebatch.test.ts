/** The rebatch stage: bounded by lines and bytes, flushed by age and at the end, order kept. */

import { expect, test } from "bun:test";
import { RebatchStream } from "../../pipeline/stages/rebatch.ts";
import type { Entry, EntryBatch } from "../../src/model/entry.ts";

const e = (msg: string): Entry => ({ sec: 1, nsec: 0, labels: {}, msg });

async function run(input: EntryBatch[], o: ConstructorParameters<typeof RebatchStream>[0]): Promise<string[][]> {
  const out: string[][] = [];
  const source = new ReadableStream<EntryBatch>({
    start(c) {
      for (const b of input) c.enqueue(b);
      c.close();
    },
  });
  await source.pipeThrough(new RebatchStream(o)).pipeTo(new WritableStream<EntryBatch>({ write: (b) => void out.push(b.entries.map((x) => x.msg)) }));
  return out;
}

test("cut at maxLines and at maxBytes (message + per-entry bytes), the rest flushed at the end", async () => {
  const input = [{ entries: ["a", "b", "c"].map(e) }, { entries: ["d", "e"].map(e) }];
  expect(await run(input, { maxLines: 2, maxBytes: 1e9, maxDelayMs: 60_000 })).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  expect(await run(input, { maxLines: 100, maxBytes: 30, perEntryBytes: 9, maxDelayMs: 60_000 })).toEqual([["a", "b", "c"], ["d", "e"]]);
  expect(await run([{ entries: [e("x".repeat(100)), e("y")] }], { maxLines: 100, maxBytes: 10, maxDelayMs: 60_000 })).toEqual([["x".repeat(100)], ["y"]]);
});

test("a quiet source is flushed maxDelayMs after its first pending entry", async () => {
  const got: { at: number; msgs: string[] }[] = [];
  const t0 = performance.now();
  const { readable, writable } = new RebatchStream({ maxLines: 100, maxBytes: 1e9, maxDelayMs: 50 });
  const done = readable.pipeTo(new WritableStream({ write: (b) => void got.push({ at: performance.now() - t0, msgs: b.entries.map((x) => x.msg) }) }));
  const w = writable.getWriter();
  await w.write({ entries: [e("1")] });
  await Bun.sleep(20);
  await w.write({ entries: [e("2")] });
  await Bun.sleep(80);
  expect(got).toHaveLength(1);
  expect(got[0]!.msgs).toEqual(["1", "2"]);
  expect(got[0]!.at).toBeGreaterThanOrEqual(45);
  await w.write({ entries: [e("3")] });
  await w.close();
  await done;
  expect(got.map((g) => g.msgs)).toEqual([["1", "2"], ["3"]]);
});
