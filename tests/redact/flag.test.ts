/**
 * `--redact` (behaviour spec §26 Q2): upstream's string flag swallowed the next argument when bare and treated
 * `false` as a pattern name. Here a bare flag means all built-ins and false/off/none mean no redaction.
 */

import { expect, test } from "bun:test";
import { BUILTIN_NAMES, parseRedactFlag } from "../../src/redact/redactor.ts";

test("bare --redact (true from the flag parser, or an empty value) enables every built-in", () => {
  expect(parseRedactFlag(true)).toEqual([...BUILTIN_NAMES]);
  expect(parseRedactFlag("")).toEqual([...BUILTIN_NAMES]);
  expect(parseRedactFlag("true")).toEqual([...BUILTIN_NAMES]);
});

test("absent, false, off and none disable redaction", () => {
  for (const value of [undefined, false, "false", "off", "none", " OFF "]) expect(parseRedactFlag(value)).toBeNull();
});

test("a list selects those built-ins, trimmed, in the order given", () => {
  expect(parseRedactFlag("phone, credit_card ,email")).toEqual(["phone", "credit_card", "email"]);
});

test("repeated names and empty items are dropped", () => {
  expect(parseRedactFlag("email,,email,")).toEqual(["email"]);
});

test("an unknown name is an error that lists the valid names", () => {
  expect(() => parseRedactFlag("email,passport")).toThrow(
    "unknown redaction pattern: passport (valid: credit_card, email, jwt, bearer, ip_v4, ssn, phone)",
  );
  expect(() => parseRedactFlag(",")).toThrow("unknown redaction pattern: ,");
});
