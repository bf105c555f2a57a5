import { describe, expect, test } from "bun:test";
import { EMPTY_LABELS } from "../../pipeline/entry.ts";
import { parseLabelString } from "../../src/protocols/loki/label-string.ts";
import { rejection } from "./helpers.ts";

const reject = (raw: string) => rejection(() => parseLabelString(raw), "couldn't parse labels: ");

describe("Loki label strings: accepted forms", () => {
  test("the usual Promtail/Alloy form", () => {
    expect(parseLabelString('{app="web", env="prod"}')).toEqual({ app: "web", env: "prod" });
  });

  test("whitespace anywhere between tokens, including newlines and tabs", () => {
    expect(parseLabelString(' \t{ app = "web" ,\n env\t=\r\n"prod" } \n')).toEqual({ app: "web", env: "prod" });
  });

  test("a trailing comma, as PromQL allows", () => {
    expect(parseLabelString('{app="web",}')).toEqual({ app: "web" });
  });

  test("{} and the empty string are both the empty set", () => {
    expect(parseLabelString("{}")).toBe(EMPTY_LABELS);
    expect(parseLabelString("{ }")).toBe(EMPTY_LABELS);
    expect(parseLabelString("")).toBe(EMPTY_LABELS);
  });

  test("keys come out sorted regardless of input order", () => {
    expect(Object.keys(parseLabelString('{z="1", a="2", M="3"}'))).toEqual(["M", "a", "z"]);
  });

  test("label names: letters, digits, underscores, not starting with a digit", () => {
    expect(parseLabelString('{_a1="x", A_b_9="y", __name__="z"}')).toEqual({ _a1: "x", A_b_9: "y", __name__: "z" });
  });

  test("labels with empty values are dropped, as Loki normalises them", () => {
    expect(parseLabelString('{app="web", env=""}')).toEqual({ app: "web" });
    expect(parseLabelString('{env=""}')).toBe(EMPTY_LABELS);
  });

  test("values may contain any character, including braces, commas and equals signs", () => {
    expect(parseLabelString('{q="a,b=c}{", u="ünï©ødé 🚀"}')).toEqual({ q: "a,b=c}{", u: "ünï©ødé 🚀" });
  });
});

describe("Loki label strings: escapes in values (Go string syntax)", () => {
  test('escaped quote, backslash and newline: \\" \\\\ \\n', () => {
    expect(parseLabelString('{a="say \\"hi\\"", b="C:\\\\dir", c="x\\ny"}')).toEqual({
      a: 'say "hi"',
      b: "C:\\dir",
      c: "x\ny",
    });
  });

  test("the other single-letter escapes", () => {
    expect(parseLabelString('{a="\\a\\b\\f\\r\\t\\v"}')).toEqual({ a: "\x07\b\f\r\t\v" });
  });

  test("\\u and \\U code points", () => {
    expect(parseLabelString('{a="\\u00e9\\U0001F600"}')).toEqual({ a: "é😀" });
  });

  test("\\x and octal escapes are bytes, decoded as UTF-8", () => {
    expect(parseLabelString('{a="\\xc3\\xa9", b="\\101\\303\\251"}')).toEqual({ a: "é", b: "Aé" });
  });

  test("single-quoted values, with \\' inside", () => {
    expect(parseLabelString("{a='it\\'s', b='say \"x\"'}")).toEqual({ a: "it's", b: 'say "x"' });
  });

  test("backquoted raw values: no escapes, carriage returns discarded (as Go does)", () => {
    expect(parseLabelString('{a=`C:\\dir\\n "q"`, b=`x\r\ny`}')).toEqual({ a: 'C:\\dir\\n "q"', b: "x\ny" });
  });
});

describe("Loki label strings: rejections", () => {
  test.each([
    ['app="web"', 'expected "{"'],
    ['{app="web"', "unexpected end"],
    ['{app="web"} extra', "unexpected text after"],
    ['{app-x="web"}', 'expected "=" after label name "app"'],
    ['{1app="web"}', "expected label name"],
    ['{app.name="web"}', 'expected "="'],
    ['{app=web}', "expected quoted label value"],
    ['{app="web}', "unterminated quoted string"],
    ['{app="we\nb"}', "unterminated quoted string"],
    ["{app=`web}", "unterminated raw string"],
    ['{app="web" env="prod"}', 'expected "," or "}"'],
    ['{app=="web"}', "expected quoted label value"],
    ['{,}', "expected label name"],
    ['{app="web",,}', "expected label name"],
    ['{app="\\q"}', "unknown escape sequence"],
    ["{app=\"\\'\"}", "unknown escape sequence"],
    ['{app="\\x4"}', "invalid escape sequence"],
    ['{app="\\777"}', "invalid escape sequence"],
    ['{app="\\ud800"}', "invalid escape sequence"],
    ['{app="\\U00110000"}', "invalid escape sequence"],
    ['{app="a", app="b"}', 'duplicate label name "app"'],
    ['metric{app="web"}', 'expected "{"'],
  ])("%j → %s", (raw, reason) => {
    expect(reject(raw)).toContain(reason);
  });

  test("the error names the offset and echoes (a bounded prefix of) the input", () => {
    expect(reject('{app=web}')).toBe("couldn't parse labels: expected quoted label value at offset 5: {app=web}");
    expect(reject('{a="' + "x".repeat(10_000)).length).toBeLessThan(300);
  });
});

describe("Loki label strings: caching", () => {
  test("the same raw string returns the same object", () => {
    expect(parseLabelString('{cache="a"}')).toBe(parseLabelString('{cache="a"}'));
  });

  test("differently written strings for one set share one object", () => {
    expect(parseLabelString('{b="2",a="1"}')).toBe(parseLabelString('{ a = "1", b = "2" }'));
  });

  test("a rejected string is rejected every time, not cached", () => {
    reject('{bad=}');
    reject('{bad=}');
  });

  test("large values survive intact", () => {
    const big = "v".repeat(64 * 1024);
    expect(parseLabelString(`{big="${big}"}`).big).toBe(big);
  });
});
