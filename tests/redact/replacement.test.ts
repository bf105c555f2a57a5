/** Go `Regexp.Expand` templates, converted to JavaScript replacement strings with Go's meaning. */

import { expect, test } from "bun:test";
import { expandTemplate, parseGoTemplate, templateToJs } from "../../src/redact/replacement.ts";

// Groups: 1 = "user" (named), 2 unnamed.
const GROUPS = [undefined, "user", undefined];
const toJs = (template: string): string => templateToJs(parseGoTemplate(template, GROUPS));

test("numbered references, bare and braced", () => {
  expect(toJs("$1-${2}")).toBe("$01-$02");
});

test("a named reference becomes its group number", () => {
  expect(toJs("<${user}> <$user>")).toBe("<$01> <$01>");
});

test("$0 is the whole match", () => {
  expect(toJs("[$0]")).toBe("[$&]");
});

test("$$ is a literal dollar, and so is a $ that starts no reference", () => {
  expect(toJs("$$5 $ ${ $-")).toBe("$$5 $$ $${ $$-");
});

test("a name is as long as possible, and an unknown group expands to nothing", () => {
  expect(toJs("$1x|$9|${nope}|$01")).toBe("|||");
});

test("a braced reference lets a digit follow without joining the number", () => {
  const js = toJs("${1}0");
  expect(js).toBe("$010");
  expect("bob".replace(/(b)o(b)/, js)).toBe("b0");
});

test("the JavaScript form reproduces Go's expansion", () => {
  const re = /(?<user>\w+)@(\w+)/;
  expect("mail ann@corp now".replace(re, toJs("${user} at $2 ($$)"))).toBe("mail ann at corp ($) now");
});

test("expandTemplate does the same expansion for one match (used when a callback decides per match)", () => {
  const template = parseGoTemplate("${user}:$2:$1x", GROUPS);
  expect(expandTemplate(template, ["ann@corp", "ann", undefined])).toBe("ann::");
});
