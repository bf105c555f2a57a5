import { expect, test } from "bun:test";
import { encodeJsonlBatch } from "../../src/capture/jsonl-batch-encoder.ts";
import { encodeEntryLine } from "../../src/capture/entry-line.ts";
import type { Entry } from "../../src/model/entry.ts";

const tricky = ['plain', 'quote " back \\ slash', "<b>&amp;</b>", "tab\tnl\ncr\r\u0001\u001f\u007f", "é中文🙂", "sep\u2028\u2029x", "\u00e2\u0080\u00a8 not a separator", "", "x".repeat(70_000)];

test("byte encoder output equals the per-line string encoder, line ends included", () => {
  const labels = [Object.freeze({ app: "a<b>", z: "é" }), Object.freeze({}), Object.freeze({ k: 'q"uote' })];
  const entries: Entry[] = [];
  for (let i = 0; i < 3000; i++) {
    const e: Entry = { sec: 1700000000 + Math.floor(i / 7), nsec: (i * 7919) % 1e9, labels: labels[i % 3]!, msg: tricky[i % tricky.length]! + i };
    if (i % 5 === 0) e.meta = { trace: `t<${i}>` };
    entries.push(e);
  }
  const { bytes, ends } = encodeJsonlBatch({ entries });
  const expected = Buffer.from(entries.map((e) => encodeEntryLine(e) + "\n").join(""));
  expect(Buffer.from(bytes).equals(expected)).toBe(true);
  let off = 0;
  entries.forEach((e, i) => {
    off += Buffer.byteLength(encodeEntryLine(e) + "\n");
    expect(ends[i]).toBe(off);
  });
});
