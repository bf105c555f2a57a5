import { expect, test } from "bun:test";
import { packSignatures, unpackSignatures } from "../../src/analysis/triage/packed-signatures.ts";

test("a unit's signatures survive packing, a structured clone with transfer, and unpacking", () => {
  const signatures: [string, number, number, number, string][] = [
    ["error id <N>", 4, 1_736_935_200, 999_999_999, "error id 3333"],
    ["", 1, -62135596800, 0, ""],
    ["panic: 🚀 <*> naïve \u0000 nul", 12_345, 253402300799, 1, "panic: 🚀 x naïve \u0000 nul\nsecond line"],
  ];
  const { packed, transfer } = packSignatures(signatures);
  const moved = structuredClone(packed, { transfer });
  expect(packed.numbers.length + packed.strings.ends.length).toBe(0); // moved, not copied
  expect(unpackSignatures(moved)).toEqual(signatures);
  expect(unpackSignatures(structuredClone(packSignatures([]).packed))).toEqual([]);
});
