import { describe, expect, test } from "bun:test";
import { ResumeCursor } from "../../../src/kube/follow/resume-cursor.ts";

type Rec = [number, number, string];
const admitAll = (c: ResumeCursor, records: Rec[]) => records.map(([s, n, t]) => c.admit(s, n, t));

describe("ResumeCursor", () => {
  test("records before the floor are not taken; at or after it they are", () => {
    const c = new ResumeCursor({ sec: 100, nsec: 500 });
    c.beginStream(false);
    expect(admitAll(c, [[99, 0, "a"], [100, 499, "b"], [100, 500, "c"], [100, 501, "d"]])).toEqual(["seen", "seen", "new", "new"]);
    expect(c.sinceTime()).toBe("1970-01-01T00:01:40Z");
  });

  test("a resumed stream repeats the cursor's second: older records and those seen at the last instant are skipped", () => {
    const c = new ResumeCursor({ sec: 0, nsec: 0 });
    c.beginStream(false);
    // Three lines share one nanosecond; the stream ended after the second of them.
    expect(admitAll(c, [[10, 1, "x"], [10, 5, "a"], [10, 5, "b"]])).toEqual(["new", "new", "new"]);
    c.beginStream(true);
    expect(admitAll(c, [[10, 1, "x"], [10, 5, "a"], [10, 5, "b"], [10, 5, "c"], [11, 0, "d"]])).toEqual(["seen", "seen", "seen", "new", "new"]);
    expect(c.takeUnproven()).toBeNull();
    // Identical lines at one instant are counted, not merged.
    c.beginStream(true);
    expect(admitAll(c, [[11, 0, "d"], [11, 0, "d"]])).toEqual(["seen", "new"]);
  });

  test("a rotation inside a group of lines sharing an instant: the new file's lines of that instant are new", () => {
    const c = new ResumeCursor({ sec: 0, nsec: 0 });
    c.beginStream(false);
    admitAll(c, [[10, 5, "line 49"], [10, 5, "line 50"]]);
    c.beginStream(true);
    expect(admitAll(c, [[10, 5, "line 51"], [10, 5, "line 52"], [10, 9, "line 53"]])).toEqual(["new", "new", "new"]);
    // Not proven to reach back: a gap only if the stream before broke (the follower decides).
    expect(c.takeUnproven()).toEqual({ after: { sec: 10, nsec: 5 }, first: { sec: 10, nsec: 5 } });
  });

  test("a resumed stream that never serves the last record again is unproven: what came between may be lost", () => {
    const c = new ResumeCursor({ sec: 0, nsec: 0 });
    c.beginStream(false);
    admitAll(c, [[10, 1, "a"], [10, 2, "b"]]);
    c.beginStream(true);
    expect(admitAll(c, [[12, 0, "c"], [12, 1, "d"]])).toEqual(["new", "new"]);
    expect(c.takeUnproven()).toEqual({ after: { sec: 10, nsec: 2 }, first: { sec: 12, nsec: 0 } });
    expect(c.takeUnproven()).toBeNull();
  });

  test("serving something older than the cursor proves the file reaches back; a fresh instance has nothing to prove", () => {
    const c = new ResumeCursor({ sec: 0, nsec: 0 });
    c.beginStream(false);
    admitAll(c, [[10, 1, "a"], [10, 2, "b"]]);
    c.beginStream(true);
    expect(admitAll(c, [[10, 1, "a"], [13, 0, "c"]])).toEqual(["seen", "new"]);
    expect(c.takeUnproven()).toBeNull();
    c.beginStream(false);
    expect(admitAll(c, [[20, 0, "d"]])).toEqual(["new"]);
    expect(c.takeUnproven()).toBeNull();
  });
});
