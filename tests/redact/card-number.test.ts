/**
 * credit_card redacts a candidate only if it passes Luhn AND carries a real network's issuer prefix with a length
 * that network issues. Luhn alone passes ~1 in 10 digit strings — in particular 13-digit millisecond timestamps.
 */

import { describe, expect, test } from "bun:test";
import { isCardNumber } from "../../src/redact/card-number.ts";
import { createRedactor } from "../../src/redact/redactor.ts";

const cards = await createRedactor({ names: ["credit_card"] });

describe("published test numbers of every network are redacted", () => {
  const numbers: [network: string, number: string][] = [
    ["Visa (16)", "4111111111111111"],
    ["Visa (16)", "4242424242424242"],
    ["Visa (13)", "4222222222222"],
    ["Visa (19)", "4000000000000000006"],
    ["Mastercard 51–55", "5555555555554444"],
    ["Mastercard 51–55", "5105105105105100"],
    ["Mastercard 2-series", "2223003122003222"],
    ["Mastercard 2-series, upper end", "2720000000000005"],
    ["American Express", "378282246310005"],
    ["American Express", "371449635398431"],
    ["Discover 6011", "6011111111111117"],
    ["Discover 644–649", "6440000000000005"],
    ["Discover 65 (19)", "6500000000000000003"],
    ["Diners Club 300–305 (14)", "30569309025904"],
    ["Diners Club 38 (14)", "38520000023237"],
    ["Diners Club 36 (14)", "36227206271667"],
    ["JCB", "3530111333300000"],
    ["JCB", "3566002020360505"],
    ["JCB (19)", "3589000000000000009"],
    ["UnionPay", "6200000000000005"],
    ["UnionPay (19)", "6200000000000000000"],
    ["Maestro", "6759649826438453"],
    ["Maestro 50 (13)", "5000000000005"],
  ];
  for (const [network, number] of numbers) {
    test(`${network}: ${number}`, () => {
      expect(isCardNumber(number)).toBe(true);
      expect(cards.redact(`pan=${number} ok`)).toBe("pan=[REDACTED:cc] ok");
    });
  }
});

describe("Luhn-valid numbers that no network issues stay", () => {
  const numbers: [why: string, number: string][] = [
    ["13-digit ms timestamp (2023-11-14T22:13:20.004Z)", "1700000000004"],
    ["13-digit ms timestamp (2024-04-05T19:34:38.907Z)", "1712345678907"],
    ["16-digit µs timestamp", "1700000000000001"],
    ["19-digit ns timestamp", "1700000000000000004"],
    ["Amex prefix with 16 digits", "3700000000000007"],
    ["Visa prefix with 15 digits", "400000000000006"],
    ["Mastercard prefix with 15 digits", "510000000000003"],
    ["just above the Mastercard 2-series", "2721000000000004"],
    ["just below the Mastercard 2-series", "2220000000000000"],
    ["just below JCB", "3527000000000008"],
    ["Diners 306 is not issued", "30600000000001"],
  ];
  for (const [why, number] of numbers) {
    test(`${why}: ${number}`, () => {
      expect(isCardNumber(number)).toBe(false);
      expect(cards.redact(`ts=${number} ok`)).toBe(`ts=${number} ok`);
    });
  }
});

test("a Luhn-invalid number with a Visa prefix stays", () => {
  expect(cards.redact("pan=4111111111111112")).toBe("pan=4111111111111112");
});

test("separators inside the number are ignored by the check", () => {
  expect(isCardNumber("3782 822463 10005")).toBe(true);
  expect(isCardNumber("3782-822463-10005")).toBe(true);
});

test("anything but digits, spaces and hyphens disqualifies (custom credit_card patterns may match more)", () => {
  expect(isCardNumber("4111.1111.1111.1111")).toBe(false);
  expect(isCardNumber("card 4111111111111111")).toBe(false);
});

test("a timestamp next to a card: only the card goes", () => {
  expect(cards.redact("1700000000004 4111111111111111")).toBe("1700000000004 [REDACTED:cc]");
});
