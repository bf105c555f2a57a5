/** createRedactor / redactBatch: selection, order, hit counting (upstream's metrics granularity) and batches. */

import { expect, test } from "bun:test";
import type { EntryBatch } from "../../src/model/entry.ts";
import { BUILTIN_NAMES, createRedactor, redactBatch } from "../../src/redact/redactor.ts";

test("patterns lists the active names in the order given", async () => {
  const redactor = await createRedactor({ names: ["phone", "email"] });
  expect(redactor.patterns).toEqual(["phone", "email"]);
});

test("the order given is the order applied", async () => {
  // An Amex number written 3-3-4-5 starts like a phone number: whichever pattern runs first takes it.
  const phoneFirst = await createRedactor({ names: ["phone", "credit_card"] });
  const cardFirst = await createRedactor({ names: ["credit_card", "phone"] });
  expect(phoneFirst.redact("378-282-2463-10005")).toBe("[REDACTED:phone]-10005");
  expect(cardFirst.redact("378-282-2463-10005")).toBe("[REDACTED:cc]");
});

test("an unknown name is rejected", async () => {
  await expect(createRedactor({ names: ["email", "iban"] })).rejects.toThrow("unknown redaction pattern: iban");
});

test("no names: messages pass unchanged", async () => {
  const redactor = await createRedactor({ names: [] });
  expect(redactor.redact("a@b.io 4111111111111111")).toBe("a@b.io 4111111111111111");
});

test("credit_card counts every replaced card; other patterns count once per changed message", async () => {
  const hits: [string, number][] = [];
  const redactor = await createRedactor({ names: ["credit_card", "email", "ip_v4"], onHit: (pattern, n) => hits.push([pattern, n]) });
  redactor.redact("cards 4111111111111111 5555555555554444 1234567890123456, mails a@x.io b@y.io, ips 10.0.0.1 10.0.0.2");
  expect(hits).toEqual([
    ["credit_card", 2],
    ["email", 1],
    ["ip_v4", 1],
  ]);
});

test("no hit, no call", async () => {
  let calls = 0;
  const redactor = await createRedactor({ names: BUILTIN_NAMES, onHit: () => calls++ });
  redactor.redact("2024-01-01 INFO application started successfully");
  expect(calls).toBe(0);
});

test("redactBatch rewrites every message in place and leaves labels alone", async () => {
  const redactor = await createRedactor({ names: BUILTIN_NAMES });
  const labels = { app: "api", owner: "ops@example.com" };
  const batch: EntryBatch = {
    entries: [
      { sec: 1, nsec: 0, labels, msg: "login a@x.io" },
      { sec: 1, nsec: 1, labels, msg: "nothing here" },
    ],
  };
  redactBatch(redactor, batch);
  expect(batch.entries.map((e) => e.msg)).toEqual(["login [REDACTED:email]", "nothing here"]);
  expect(batch.entries[0]!.labels).toEqual({ app: "api", owner: "ops@example.com" });
});
