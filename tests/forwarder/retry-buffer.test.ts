/** The retry buffer's bound: oldest evicted first, never the push on the wire nor the one just added. */

import { expect, test } from "bun:test";
import type { PushBatch } from "../../src/forward/push-batch.ts";
import { RetryBuffer } from "../../src/forward/retry-buffer.ts";

const b = (name: string, bytes: number): PushBatch => ({ body: new TextEncoder().encode(name), contentType: "x", lines: 2, estimatedBytes: bytes });
const names = (evicted: PushBatch[]) => evicted.map((x) => new TextDecoder().decode(x.body));

test("evicts the oldest until the estimate fits", () => {
  const buf = new RetryBuffer(250);
  expect(names(buf.add(b("a", 100)))).toEqual([]);
  expect(names(buf.add(b("b", 100)))).toEqual([]);
  expect(names(buf.add(b("c", 100)))).toEqual(["a"]);
  expect([buf.usageBytes, buf.lines, buf.length]).toEqual([200, 4, 2]);
  expect(names(buf.add(b("d", 240)))).toEqual(["b", "c"]);
  expect(buf.usageBytes).toBe(240);
});

test("the head in flight and the newest push stay, even over the capacity", () => {
  const buf = new RetryBuffer(150);
  buf.add(b("a", 100));
  buf.headInFlight = true;
  expect(names(buf.add(b("b", 100)))).toEqual([]);
  expect(names(buf.add(b("c", 100)))).toEqual(["b"]);
  expect(buf.usageBytes).toBe(200);
  buf.headInFlight = false;
  expect(names(buf.add(b("huge", 1000)))).toEqual(["a", "c"]);
  expect(names([buf.shift()!])).toEqual(["huge"]);
  expect([buf.usageBytes, buf.lines, buf.length]).toEqual([0, 0, 0]);
});
