import { expect, test } from "bun:test";
import { EMPTY_LABELS, type Entry } from "../../src/model/entry.ts";
import { packEntries, unpackEntries } from "../../pipeline/packed-entries.ts";
import { internSortedPairs } from "../../src/protocols/labels-interner.ts";

const web = internSortedPairs(["app", "web", "env", "prod"]);
const db = internSortedPairs(["app", "db"]);

const batch: Entry[] = [
  { sec: 1700000000, nsec: 1, labels: web, msg: "first ✓" },
  { sec: 1700000000, nsec: 2, labels: web, msg: "" },
  { sec: -62135596800, nsec: 999_999_999, labels: db, msg: "🚀 multi\nline", meta: { trace_id: "abc" } },
  { sec: 253402300799, nsec: 0, labels: web, msg: "\uFEFFbom kept" },
  { sec: 5, nsec: 5, labels: EMPTY_LABELS, msg: "no labels" },
];

test("a batch survives packing, a structured clone (what postMessage does) and unpacking unchanged", () => {
  const { packed, transfer } = packEntries(batch);
  const moved = structuredClone(packed, { transfer });
  expect(unpackEntries(moved)).toEqual(batch);
});

test("unpacked entries share their stream's interned labels object, as decoded ones do", () => {
  const out = unpackEntries(structuredClone(packEntries(batch).packed));
  expect(out[0]!.labels).toBe(web);
  expect(out[3]!.labels).toBe(web);
  expect(out[2]!.labels).toBe(db);
  expect(out[4]!.labels).toBe(EMPTY_LABELS);
  expect("meta" in out[0]!).toBe(false);
});

test("the message byte count is UTF-8 bytes, as the audit line reports them", () => {
  expect(packEntries(batch).packed.msgBytes).toBe(batch.reduce((n, e) => n + Buffer.byteLength(e.msg), 0));
});

test("the typed arrays are moved, not copied", () => {
  const { packed, transfer } = packEntries(batch);
  structuredClone(packed, { transfer });
  expect(packed.sec.length).toBe(0);
  expect(packed.msgs.ends.length).toBe(0);
});
