import { describe, expect, test } from "bun:test";
import { ResumeCursor } from "../../../src/kube/follow/resume-cursor.ts";

const admitAll = (c: ResumeCursor, stamps: [number, number][]) => stamps.map(([s, n]) => c.admit(s, n));

describe("ResumeCursor", () => {
  test("records before the floor are not taken; at or after it they are", () => {
    const c = new ResumeCursor({ sec: 100, nsec: 500 });
    c.beginStream(false);
    expect(admitAll(c, [[99, 0], [100, 499], [100, 500], [100, 501]])).toEqual(["seen", "seen", "new", "new"]);
    expect(c.sinceTime()).toBe("1970-01-01T00:01:40Z");
  });

  test("a resumed stream repeats the cursor's second: older records and as many at the last instant as were seen are skipped", () => {
    const c = new ResumeCursor({ sec: 0, nsec: 0 });
    c.beginStream(false);
    // Three lines share one nanosecond; the stream ended after the second of them.
    expect(admitAll(c, [[10, 1], [10, 5], [10, 5]])).toEqual(["new", "new", "new"]);
    c.beginStream(true);
    expect(admitAll(c, [[10, 1], [10, 5], [10, 5], [10, 5], [11, 0]])).toEqual(["seen", "seen", "seen", "new", "new"]);
    expect(c.takeUnproven()).toBeNull();
  });

  test("a resumed stream that never serves the last record again is unproven: what came between may be lost", () => {
    const c = new ResumeCursor({ sec: 0, nsec: 0 });
    c.beginStream(false);
    admitAll(c, [[10, 1], [10, 2]]);
    c.beginStream(true);
    expect(admitAll(c, [[12, 0], [12, 1]])).toEqual(["new", "new"]);
    expect(c.takeUnproven()).toEqual({ after: { sec: 10, nsec: 2 }, first: { sec: 12, nsec: 0 } });
    expect(c.takeUnproven()).toBeNull();
  });

  test("serving something older than the cursor proves the file reaches back; a fresh instance has nothing to prove", () => {
    const c = new ResumeCursor({ sec: 0, nsec: 0 });
    c.beginStream(false);
    admitAll(c, [[10, 1], [10, 2]]);
    c.beginStream(true);
    expect(admitAll(c, [[10, 1], [13, 0]])).toEqual(["seen", "new"]);
    expect(c.takeUnproven()).toBeNull();
    c.beginStream(false);
    expect(admitAll(c, [[20, 0]])).toEqual(["new"]);
    expect(c.takeUnproven()).toBeNull();
  });
});
