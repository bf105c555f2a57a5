/** The built-in patterns: upstream's reference table (behaviour spec §4.2) and the finer points of each pattern. */

import { describe, expect, test } from "bun:test";
import { BUILTIN_NAMES, createRedactor } from "../../src/redact/redactor.ts";

async function redact(names: readonly string[], msg: string): Promise<string> {
  return (await createRedactor({ names })).redact(msg);
}

test("the built-ins, in their fixed order", () => {
  expect(BUILTIN_NAMES).toEqual(["credit_card", "email", "jwt", "bearer", "ip_v4", "ssn", "phone"]);
});

describe("reference behaviour (from upstream's tests)", () => {
  const table: [input: string, pattern: string, output: string][] = [
    ["card: 4111111111111111", "credit_card", "card: [REDACTED:cc]"],
    ["card 4111 1111 1111 1111 end", "credit_card", "card [REDACTED:cc] end"],
    ["card 4111-1111-1111-1111 end", "credit_card", "card [REDACTED:cc] end"],
    ["amex 378282246310005", "credit_card", "amex [REDACTED:cc]"],
    ["number 1234567890123456", "credit_card", "number 1234567890123456"],
    ["num 12345678", "credit_card", "num 12345678"],
    ["user+tag@example.com here", "email", "[REDACTED:email] here"],
    ["Authorization: Bearer xyz789", "bearer", "[REDACTED:bearer]"],
    ["connect 127.0.0.1:8080", "ip_v4", "connect [REDACTED:ip]:8080"],
    ["version 1.2.3 released", "ip_v4", "version 1.2.3 released"],
    ["ssn: 123-45-6789 end", "ssn", "ssn: [REDACTED:ssn] end"],
    ["call (555) 123-4567", "phone", "call [REDACTED:phone]"],
    ["phone +1-555-123-4567", "phone", "phone [REDACTED:phone]"],
    ["dial 5551234567", "phone", "dial [REDACTED:phone]"],
  ];
  for (const [input, pattern, output] of table) {
    test(`${pattern}: ${JSON.stringify(input)} → ${JSON.stringify(output)}`, async () => {
      expect(await redact([pattern], input)).toBe(output);
    });
  }

  test("a clean line passes every pattern unchanged", async () => {
    const msg = "2024-01-01 INFO application started successfully";
    expect(await redact(BUILTIN_NAMES, msg)).toBe(msg);
  });

  test("several kinds of PII in one line", async () => {
    const out = await redact(BUILTIN_NAMES, "user test@example.com paid with 4111111111111111 from 10.0.0.1");
    expect(out).toBe("user [REDACTED:email] paid with [REDACTED:cc] from [REDACTED:ip]");
  });
});

describe("credit_card", () => {
  test("a Mastercard number", async () => {
    expect(await redact(["credit_card"], "pay with 5500000000000004")).toBe("pay with [REDACTED:cc]");
  });

  test("separators are any run of spaces and hyphens while fewer than 13 digits are seen", async () => {
    expect(await redact(["credit_card"], "4111 - 1111  1111--1111")).toBe("[REDACTED:cc]");
  });

  test("from the 13th digit on, a separator ends the candidate (the lazy separator prefers stopping)", async () => {
    // 4111 1111 1111 1111 is a complete candidate; the trailing group is not pulled in.
    expect(await redact(["credit_card"], "4111 1111 1111 1111 2222")).toBe("[REDACTED:cc] 2222");
  });

  test("more than 19 digits in a row are no candidate", async () => {
    expect(await redact(["credit_card"], "id 41111111111111111111")).toBe("id 41111111111111111111");
  });

  test("digits glued to a word character are no candidate", async () => {
    expect(await redact(["credit_card"], "x4111111111111111 4111111111111111y")).toBe("x4111111111111111 4111111111111111y");
  });

  test("every card in a message is replaced", async () => {
    expect(await redact(["credit_card"], "4111111111111111,5555555555554444")).toBe("[REDACTED:cc],[REDACTED:cc]");
  });

  test("runs before phone, so a card is not half-eaten by the phone pattern", async () => {
    expect(await redact(BUILTIN_NAMES, "card 4111111111111111")).toBe("card [REDACTED:cc]");
  });
});

describe("email", () => {
  const cases: [string, string][] = [
    ["user test@example.com logged in", "user [REDACTED:email] logged in"],
    ["admin@corp.io is admin", "[REDACTED:email] is admin"],
    ["contact: user@domain.org", "contact: [REDACTED:email]"],
    ["no email here", "no email here"],
    ["first.last%x@sub.example.co.uk.", "[REDACTED:email]."],
    // The match starts at the first word boundary of the local part.
    ["see .hidden@example.com", "see .[REDACTED:email]"],
    // The TLD must end at a boundary: the greedy domain backs off to the last dot that works.
    ["a@b.example.c0m", "[REDACTED:email].c0m"],
    ["a@example.c", "a@example.c"],
    ["a@example.com_x", "a@example.com_x"],
    ["two: a@x.io b@y.io", "two: [REDACTED:email] [REDACTED:email]"],
  ];
  for (const [input, output] of cases) {
    test(JSON.stringify(input), async () => expect(await redact(["email"], input)).toBe(output));
  }
});

describe("jwt", () => {
  // Built from parts so secret scanners do not flag the fixture.
  const jwt = ["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiIxMjM0NTY3ODkwIn0", "fakesignaturevalue"].join(".");

  test("a token in a sentence", async () => {
    expect(await redact(["jwt"], `token: ${jwt} end`)).toBe("token: [REDACTED:jwt] end");
  });

  test("the payload segment must also start with eyJ", async () => {
    expect(await redact(["jwt"], "eyJhbGci.abc.def")).toBe("eyJhbGci.abc.def");
  });

  test("all three segments are needed", async () => {
    expect(await redact(["jwt"], "eyJhbGci.eyJzdWIi.")).toBe("eyJhbGci.eyJzdWIi.");
  });

  test("the match may start inside a longer word", async () => {
    expect(await redact(["jwt"], `x${jwt}`)).toBe("x[REDACTED:jwt]");
  });
});

describe("bearer", () => {
  const cases: [string, string][] = [
    ["Bearer abc123_token", "[REDACTED:bearer]"],
    ["authorization:bearer\tabc.def-ghi rest", "[REDACTED:bearer] rest"],
    ["header BEARER   Zm9v=", "header [REDACTED:bearer]="],
    ["Bearer", "Bearer"],
    ["Bearer  !", "Bearer  !"],
    ["Authorization: Basic dXNlcg==", "Authorization: Basic dXNlcg=="],
  ];
  for (const [input, output] of cases) {
    test(JSON.stringify(input), async () => expect(await redact(["bearer"], input)).toBe(output));
  }
});

describe("ip_v4", () => {
  const cases: [string, string][] = [
    ["from 192.168.1.1 to server", "from [REDACTED:ip] to server"],
    ["addr 255.255.255.0 mask", "addr [REDACTED:ip] mask"],
    ["bad 256.1.1.1 octet", "bad 256.1.1.1 octet"],
    ["leading zero 01.2.3.4", "leading zero 01.2.3.4"],
    ["five parts 1.2.3.4.5", "five parts [REDACTED:ip].5"],
  ];
  for (const [input, output] of cases) {
    test(JSON.stringify(input), async () => expect(await redact(["ip_v4"], input)).toBe(output));
  }
});

describe("ssn", () => {
  test("word-bounded only", async () => {
    expect(await redact(["ssn"], "a123-45-6789 123-45-67890")).toBe("a123-45-6789 123-45-67890");
  });
});

describe("phone", () => {
  test("dotted and spaced forms", async () => {
    expect(await redact(["phone"], "555.123.4567 or 555 123 4567")).toBe("[REDACTED:phone] or [REDACTED:phone]");
  });

  test("unlike upstream, a boundary is needed at the start: ids and millisecond timestamps are not phone numbers", async () => {
    expect(await redact(["phone"], "trace_id=abcdef0123456789")).toBe("trace_id=abcdef0123456789");
    expect(await redact(["phone"], "ts=1700000000004")).toBe("ts=1700000000004");
    expect(await redact(["phone"], "tel:5551234567")).toBe("tel:[REDACTED:phone]");
  });

  test("the separator is RE2's ASCII \\s, not a Unicode space", async () => {
    expect(await redact(["phone"], "555\u00a0123\u00a04567")).toBe("555\u00a0123\u00a04567");
  });
});
