import { describe, expect, test } from "bun:test";
import { EMPTY_LABELS } from "../../src/model/entry.ts";
import {
  MAX_INTERNED_SETS,
  internSortedPairs,
  internedCount,
  lookupRawLabels,
  rememberRawLabels,
  sortPairs,
} from "../../src/protocols/labels-interner.ts";

function intern(...pairs: string[]) {
  sortPairs(pairs);
  return internSortedPairs(pairs);
}

describe("label interning", () => {
  test("the same label set yields the very same object, whatever order it arrived in", () => {
    const a = intern("app", "web", "env", "prod");
    const b = intern("env", "prod", "app", "web");
    expect(b).toBe(a);
    expect(a).toEqual({ app: "web", env: "prod" });
  });

  test("different sets yield different objects", () => {
    expect(intern("app", "web")).not.toBe(intern("app", "api"));
    expect(intern("app", "web")).not.toBe(intern("app", "web", "env", "prod"));
  });

  test("interned sets are frozen and have their keys in sorted order", () => {
    const labels = intern("zone", "z", "app", "a", "Mixed", "m", "_x", "u");
    expect(Object.isFrozen(labels)).toBe(true);
    expect(Object.keys(labels)).toEqual(["Mixed", "_x", "app", "zone"]);
  });

  test("the empty set is the shared EMPTY_LABELS", () => {
    expect(intern()).toBe(EMPTY_LABELS);
  });

  test("keys cannot collide through separator characters in names or values", () => {
    const a = intern("a", "1,b=2");
    const b = intern("a", "1", "b", "2");
    expect(a).not.toBe(b);
    expect(a).toEqual({ a: "1,b=2" });
  });

  test("a __proto__ label is an ordinary own property", () => {
    const labels = intern("__proto__", "x");
    expect(Object.keys(labels)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  test("raw label strings alias interned sets", () => {
    const labels = intern("app", "aliased");
    rememberRawLabels('{app="aliased"}', labels);
    expect(lookupRawLabels('{app="aliased"}')).toBe(labels);
    expect(lookupRawLabels('{app="never-seen"}')).toBeUndefined();
  });

  test("sortPairs orders large sets too", () => {
    const pairs: string[] = [];
    for (let i = 99; i >= 0; i--) pairs.push(`l${String(i).padStart(3, "0")}`, String(i));
    sortPairs(pairs);
    expect(pairs.slice(0, 4)).toEqual(["l000", "0", "l001", "1"]);
    expect(pairs.slice(-2)).toEqual(["l099", "99"]);
  });

  test(`the cache is bounded: it starts over past ${MAX_INTERNED_SETS} sets`, () => {
    const first = intern("bounded", "first");
    for (let i = 0; i <= MAX_INTERNED_SETS; i++) intern("bounded", String(i));
    expect(internedCount()).toBeLessThanOrEqual(MAX_INTERNED_SETS);
    const again = intern("bounded", "first");
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });
});
