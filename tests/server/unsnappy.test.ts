import { expect, test } from "bun:test";
import snappy from "snappyjs";
import { unsnappy } from "../../src/server/unsnappy.ts";
import { HttpError } from "../../src/server/http-error.ts";
import { PushDecodeError } from "../../src/protocols/push-decode-error.ts";

test("round trip; the reused output never shows an earlier body's bytes", () => {
  const big = new Uint8Array(100_000).fill(0x42);
  expect(Buffer.from(unsnappy(snappy.compress(big), 1 << 20)).equals(Buffer.from(big))).toBe(true);
  // A block that declares 100 bytes but carries a 10-byte literal: snappyjs does not object, so the rest must be
  // zeros (what a fresh buffer holds), not the 0x42s of the previous body.
  const short = new Uint8Array([100, (10 - 1) << 2, ...new Uint8Array(10).fill(0x41)]);
  const out = unsnappy(short, 1 << 20);
  expect(out.length).toBe(100);
  expect([...out.subarray(0, 10)]).toEqual(new Array(10).fill(0x41));
  expect(out.subarray(10).every((b) => b === 0)).toBe(true);
});

test("over the decoded limit is 413, a malformed block is a 400-class decode error", () => {
  const body = snappy.compress(new Uint8Array(5000));
  expect(() => unsnappy(body, 4999)).toThrow(HttpError);
  expect(() => unsnappy(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 1 << 20)).toThrow(PushDecodeError);
  // A back-reference before the start of the output.
  expect(() => unsnappy(new Uint8Array([5, 0x05, 0x09]), 1 << 20)).toThrow(PushDecodeError);
});
