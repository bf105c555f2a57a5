import { describe, expect, test } from "bun:test";
import { RingBuffer } from "../../src/tui/model/ring-buffer.ts";

describe("RingBuffer", () => {
  test("keeps the newest items, oldest first", () => {
    const r = new RingBuffer<number>(3);
    expect(r.toArray()).toEqual([]);
    r.push(1);
    r.push(2);
    expect(r.toArray()).toEqual([1, 2]);
    r.pushAll([3, 4, 5]);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.length).toBe(3);
    expect(r.at(0)).toBe(3);
    expect(r.at(2)).toBe(5);
    expect(r.at(3)).toBeUndefined();
    expect(r.at(-1)).toBeUndefined();
  });

  test("version changes on every push; a batch larger than the ring keeps its tail and counts all", () => {
    const r = new RingBuffer<number>(4);
    const v0 = r.version;
    r.pushAll([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.version - v0).toBe(10);
    expect(r.pushed).toBe(10);
    expect(r.toArray()).toEqual([7, 8, 9, 10]);
    r.push(11);
    expect(r.toArray()).toEqual([8, 9, 10, 11]);
  });

  test("wraps many times and stays consistent", () => {
    const r = new RingBuffer<number>(7);
    for (let i = 0; i < 1000; i++) r.push(i);
    expect(r.toArray()).toEqual([993, 994, 995, 996, 997, 998, 999]);
    expect(Array.from({ length: 7 }, (_, i) => r.at(i))).toEqual(r.toArray());
  });

  test("clear empties and bumps the version", () => {
    const r = new RingBuffer<number>(2);
    r.pushAll([1, 2]);
    const v = r.version;
    r.clear();
    expect(r.length).toBe(0);
    expect(r.version).not.toBe(v);
  });

  test("capacity must be a positive integer", () => {
    expect(() => new RingBuffer(0)).toThrow();
    expect(() => new RingBuffer(1.5)).toThrow();
  });
});
