/** Shared helpers for the push-decoder specs. */

import { expect } from "bun:test";
import { PushDecodeError } from "../../src/protocols/push-decode-error.ts";

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function json(value: unknown): Uint8Array {
  return bytes(JSON.stringify(value));
}

/** Runs `fn`, asserting it throws a PushDecodeError whose message starts with `prefix`; returns the message. */
export function rejection(fn: () => unknown, prefix: string): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(PushDecodeError);
  const message = (caught as Error).message;
  expect(message.startsWith(prefix)).toBe(true);
  expect(message).not.toContain("\n");
  return message;
}

/** Seconds since the epoch right now, for checking "receive time" stamps. */
export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}
