import { describe, expect, test } from "bun:test";
import { EMPTY_LABELS } from "../../src/model/entry.ts";
import { parseLabelString } from "../../src/protocols/loki/label-string.ts";
import { rejection } from "./helpers.ts";

const reject = (raw: string) => rejection(() => parseLabelString(raw), "couldn't parse labels: ");

// Each row: what Prometheus 3's ParseMetric + Loki's ParseLabels make of the string (promql/parser lex.go,
// generated_parser.y, util/strutil/quote.go; loki pkg/logql/syntax/parser.go, pkg/distributor/validator.go).
describe("Loki label strings: accepted forms", () => {
  test.each([
    ["the usual Promtail/Alloy form", '{app="web", env="prod"}', { app: "web", env: "prod" }],
    ["Loki's own push tests: quoted names, free spacing", '{ "service.name"="api",   "environment"="prod" }', { "service.name": "api", environment: "prod" }],
    ["quoted names: any UTF-8, any quote style", "{\"k8s.pod.name\"=\"p\", 'équipe'='a', `温度`=`b`, \"a-b/c d\"=\"e\"}", { "k8s.pod.name": "p", équipe: "a", 温度: "b", "a-b/c d": "e" }],
    ["quoted and unquoted names mixed", '{app="web", "service.name"="api"}', { app: "web", "service.name": "api" }],
    ["escapes inside a quoted name", '{"a\\"b\\u00e9"="x"}', { 'a"bé': "x" }],
    ['{"name"}: a lone quoted string is the metric name', '{"http.server.requests", job="api"}', { __name__: "http.server.requests", job: "api" }],
    ["a metric name before the braces", 'http_requests_total{job="api"}', { __name__: "http_requests_total", job: "api" }],
    ["a metric name with colons, spaced from the braces", ':job:rate5m {job="api"}', { __name__: ":job:rate5m", job: "api" }],
    ["a bare metric name, no braces", "up", { __name__: "up" }],
    ["the outer metric name wins over __name__ inside", 'foo{__name__="bar", "baz", a="b"}', { __name__: "foo", a: "b" }],
    ["__name__ as an ordinary label", '{__name__="up", job="api"}', { __name__: "up", job: "api" }],
    ["whitespace anywhere between tokens, including newlines and tabs", ' \t{ app = "web" ,\n env\t=\r\n"prod" } \n', { app: "web", env: "prod" }],
    ["# line comments between tokens and after the braces", '# pushed by x\n{app="web", # the app\n env="prod"} # done', { app: "web", env: "prod" }],
    ["a # inside a value is not a comment", '{a="x # y"}', { a: "x # y" }],
    ["a trailing comma", '{app="web",}', { app: "web" }],
    ["PromQL keywords are ordinary names inside braces", '{offset="1", bool="2", by="3", on="4", inf="5"}', { bool: "2", by: "3", inf: "5", offset: "1", on: "4" }],
    ["names: letters, digits, underscores, not starting with a digit", '{_a1="x", A_b_9="y"}', { _a1: "x", A_b_9: "y" }],
    ["values may contain any character, including braces, commas and equals signs", '{q="a,b=c}{", u="ünï©ødé 🚀"}', { q: "a,b=c}{", u: "ünï©ødé 🚀" }],
    ["empty values are dropped, as Loki normalises them", '{app="web", env=""}', { app: "web" }],
    ["a name with an empty value anywhere is dropped entirely (labels.Builder deletes by name)", '{a="", a="x", b="y"}', { b: "y" }],
    ["an empty name with an empty value is dropped too", '{""="", app="web"}', { app: "web" }],
  ])("%s: %j", (_what, raw, labels) => {
    expect(parseLabelString(raw)).toEqual(labels);
  });

  test("keys keep their exact spelling and come out sorted", () => {
    expect(Object.keys(parseLabelString('{z="1", "service.name"="2", M="3", a="4"}'))).toEqual(["M", "a", "service.name", "z"]);
  });

  test.each(["", "  \n", "{}", "{ }", "{\n}", "# nothing but a comment", '{env=""}', '{""}'])("%j is the empty set", (raw) => {
    expect(parseLabelString(raw)).toBe(EMPTY_LABELS);
  });
});

describe("Loki label strings: escapes (Go string syntax, as Prometheus unquotes)", () => {
  test.each([
    ['\\" \\\\ \\n', '{a="say \\"hi\\"", b="C:\\\\dir", c="x\\ny"}', { a: 'say "hi"', b: "C:\\dir", c: "x\ny" }],
    ["the other single-letter escapes", '{a="\\a\\b\\f\\r\\t\\v"}', { a: "\x07\b\f\r\t\v" }],
    ["\\u and \\U code points", '{a="\\u00e9\\U0001F600"}', { a: "é😀" }],
    ["\\x and octal escapes are bytes, decoded as UTF-8", '{a="\\xc3\\xa9", b="\\101\\303\\251"}', { a: "é", b: "Aé" }],
    ["byte escapes that are not UTF-8 become U+FFFD (a capture holds text)", '{a="\\xff!"}', { a: "\ufffd!" }],
    ["single-quoted values, with \\' inside and \" unescaped", "{a='it\\'s', b='say \"x\"'}", { a: "it's", b: 'say "x"' }],
    ["a carriage return is allowed inside a quoted string", '{a="x\ry"}', { a: "x\ry" }],
    ["backquoted raw values: no escapes, newlines and carriage returns kept", '{a=`C:\\dir\\n "q"`, b=`x\r\ny`}', { a: 'C:\\dir\\n "q"', b: "x\r\ny" }],
    ["astral characters (surrogate pairs) in values and names", '{"😀"="🚀", b=`🙂`}', { "😀": "🚀", b: "🙂" }],
  ])("%s", (_what, raw, labels) => {
    expect(parseLabelString(raw)).toEqual(labels);
  });
});

describe("Loki label strings: rejections, each naming the problem", () => {
  test.each([
    ['app="web"', 'expected "{" after metric name "app"'],
    ['"app"{a="b"}', 'expected "{" or a metric name, unexpected "\\""'],
    ['{app="web"', 'expected "," or "}", unexpected end'],
    ["{", "expected label name, unexpected end"],
    ['{app="web"} extra', 'unexpected text after "}"'],
    ['{a="b"}{c="d"}', 'unexpected text after "}"'],
    ['{app="web"}}', 'unexpected text after "}"'],
    ['{service.name="api"}', 'label name "service.name" must be quoted'],
    ['{app-x="web"}', 'label name "app-x" must be quoted'],
    ['{1app="web"}', 'label name "1app" must be quoted'],
    ['{é="x"}', 'label name "é" must be quoted'],
    ['{a:b="x"}', 'label name "a:b" must be quoted'],
    ['service.name{job="x"}', 'metric name "service.name" must be quoted inside the braces'],
    ['bool{a="b"}', '"bool" is a PromQL keyword, not a metric name'],
    ["Inf", '"Inf" is a PromQL keyword, not a metric name'],
    ['{app}', 'expected "=" after label name "app", unexpected "}"'],
    ['{a="b" c="d"}', 'expected "," or "}", unexpected "c"'],
    ['{app=web}', 'expected quoted label value for "app", unexpected "w"'],
    ['{"service.name"=web}', 'expected quoted label value for "service.name"'],
    ['{app=="web"}', 'expected quoted label value for "app", unexpected "="'],
    ['{app=~"web"}', 'matcher "=~" after label name "app"'],
    ['{app!="web"}', 'matcher "!=" after label name "app"'],
    ['{"service.name"!~"a.*"}', 'matcher "!~" after label name "service.name"'],
    ['{app="web}', "unterminated quoted string"],
    ['{app="we\nb"}', "unterminated quoted string"],
    ['{"app="web"}', "expected \"=\" after label name \"app=\", unexpected \"w\""],
    ["{app=`web}", "unterminated raw string"],
    ['{app="web\\', "unterminated quoted string"],
    ['{,}', 'expected label name, unexpected ","'],
    ['{app="web",,}', 'expected label name, unexpected ","'],
    ['{app="\\q"}', 'unknown escape sequence "\\q"'],
    ["{app=\"\\'\"}", "unknown escape sequence \"\\'\""],
    ["{app='\\\"'}", 'unknown escape sequence "\\""'],
    ['{app="\\x4"}', "invalid escape sequence"],
    ['{app="\\777"}', "invalid escape sequence"],
    ['{app="\\18x"}', "invalid escape sequence"],
    ['{app="\\ud800"}', "invalid escape sequence"],
    ['{app="\\U00110000"}', "invalid escape sequence"],
    ['{app="\ufffd"}', "invalid UTF-8 in quoted string"],
    ['{"\ufffd"="x"}', "invalid UTF-8 in quoted string"],
    ["{app=`\ufffd`}", "invalid UTF-8 in quoted string"],
    ['{app="\ud800"}', "invalid UTF-8 in quoted string"],
    ['{app="a", app="b"}', 'duplicate label name "app"'],
    ['{app="a", "app"="b"}', 'duplicate label name "app"'],
    ['{__name__="a", "b"}', 'duplicate label name "__name__"'],
    ['{""="x"}', "empty label name"],
  ])("%j → %s", (raw, reason) => {
    expect(reject(raw)).toContain(reason);
  });

  test("the error names the offset and echoes (a bounded prefix of) the input on one line", () => {
    expect(reject("{app=web}")).toBe('couldn\'t parse labels: expected quoted label value for "app", unexpected "w" at offset 5: {app=web}');
    expect(reject('{a="' + "x".repeat(10_000)).length).toBeLessThan(300);
    expect(reject('{a="b",\n c=d}')).not.toContain("\n");
  });
});

describe("Loki label strings: caching", () => {
  test("the same raw string returns the same object", () => {
    expect(parseLabelString('{cache="a"}')).toBe(parseLabelString('{cache="a"}'));
  });

  test("differently written strings for one set share one object", () => {
    expect(parseLabelString('{b="2",a="1"}')).toBe(parseLabelString('{ a = "1", "b" = \'2\' }'));
  });

  test("a rejected string is rejected every time, not cached", () => {
    reject("{bad=}");
    reject("{bad=}");
  });

  test("large values survive intact", () => {
    const big = "v".repeat(64 * 1024);
    expect(parseLabelString(`{big="${big}"}`).big).toBe(big);
  });
});
