import { expect, test } from "bun:test";
import { packSignatures, unpackSignatures } from "../../src/analysis/triage/packed-signatures.ts";

test("a unit's signatures survive packing, a structured clone with transfer, and unpacking", () => {
  const signatures: [string, number][] = [
    ["error id <N>", 4],
    ["", 1],
    ["panic: 🚀 <*> naïve \u0000 nul\nsecond line", 12_345],
  ];
  const { packed, transfer } = packSignatures(signatures);
  const moved = structuredClone(packed, { transfer });
  expect(packed.counts.length + packed.strings.ends.length).toBe(0); // moved, not copied
  expect(unpackSignatures(moved)).toEqual(signatures);
  expect(unpackSignatures(structuredClone(packSignatures([]).packed))).toEqual([]);
});
