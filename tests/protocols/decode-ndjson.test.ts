import { describe, expect, test } from "bun:test";
import { EMPTY_LABELS } from "../../src/model/entry.ts";
import { decodeRawNdjson } from "../../src/protocols/raw/decode-ndjson.ts";
import { bytes, nowSec, rejection } from "./helpers.ts";

const decode = (text: string) => decodeRawNdjson(bytes(text));
const reject = (text: string) => rejection(() => decode(text), "invalid JSON line: ");

describe("logtap raw push (NDJSON capture entries): accepted bodies", () => {
  test("upstream's test body: two lines", () => {
    const body = '{"ts":"2024-01-01T00:00:00Z","msg":"raw line 1"}\n{"ts":"2024-01-01T00:00:01Z","msg":"raw line 2"}\n';
    expect(decode(body)).toEqual([
      { sec: 1704067200, nsec: 0, labels: {}, msg: "raw line 1" },
      { sec: 1704067201, nsec: 0, labels: {}, msg: "raw line 2" },
    ]);
  });

  test("the full capture entry schema: ts with nanoseconds, labels, msg, meta", () => {
    const [entry] = decode('{"ts":"2025-01-15T10:00:00.123456789+01:00","labels":{"env":"prod","app":"web"},"msg":"hi","meta":{"z":"1","a":"2"}}');
    expect(entry).toEqual({ sec: 1736931600, nsec: 123456789, labels: { app: "web", env: "prod" }, msg: "hi", meta: { a: "2", z: "1" } });
    expect(Object.keys(entry!.labels)).toEqual(["app", "env"]);
    expect(Object.keys(entry!.meta!)).toEqual(["a", "z"]);
  });

  test("labels are kept exactly as sent: empty values and any names survive", () => {
    const [entry] = decode('{"labels":{"app.kubernetes.io/name":"web","env":""},"msg":"x"}');
    expect(entry!.labels).toEqual({ "app.kubernetes.io/name": "web", env: "" });
  });

  test("equal label sets on different lines share one object", () => {
    const [a, b] = decode('{"labels":{"a":"1","b":"2"}}\n{"labels":{"b":"2","a":"1"}}');
    expect(a!.labels).toBe(b!.labels);
    expect(Object.isFrozen(a!.labels)).toBe(true);
  });

  test("missing, null or zero ts → receive time", () => {
    const before = nowSec();
    const entries = decode('{"msg":"a"}\n{"ts":null,"msg":"b"}\n{"ts":"0001-01-01T00:00:00Z","msg":"c"}');
    for (const entry of entries) expect(entry.sec).toBeGreaterThanOrEqual(before);
  });

  test("missing msg → empty message; no labels → EMPTY_LABELS; empty meta → no meta", () => {
    const [entry] = decode('{"ts":"2024-01-01T00:00:00Z","meta":{}}');
    expect(entry).toEqual({ sec: 1704067200, nsec: 0, labels: EMPTY_LABELS, msg: "" });
    expect(entry).not.toHaveProperty("meta");
  });

  test("objects may share a line, span lines, or be separated by blank lines and CRLF", () => {
    const body = '{"msg":"a"}{"msg":"b"} {"msg":"c"}\r\n\r\n{\n  "msg": "d"\n}\n';
    expect(decode(body).map((e) => e.msg)).toEqual(["a", "b", "c", "d"]);
  });

  test("braces and escaped quotes inside strings don't confuse object splitting", () => {
    const body = '{"msg":"} { \\" \\\\"}\n{"msg":"[\\"]"}';
    expect(decode(body).map((e) => e.msg)).toEqual(['} { " \\', '["]']);
  });

  test("unknown fields are ignored", () => {
    expect(decode('{"msg":"x","level":"info","n":1}')[0]!.msg).toBe("x");
  });

  test("an empty or whitespace-only body is zero entries", () => {
    expect(decode("")).toEqual([]);
    expect(decode(" \n\n\t")).toEqual([]);
  });

  test("large messages", () => {
    const msg = "m".repeat(1024 * 1024);
    expect(decode(JSON.stringify({ msg }))[0]!.msg).toBe(msg);
  });
});

describe("logtap raw push: rejections name the line and reject everything (all-or-nothing)", () => {
  test("a bad ts on line 3 rejects the push, naming line 3", () => {
    const body = '{"msg":"ok"}\n{"msg":"ok"}\n{"ts":"yesterday","msg":"bad"}\n{"msg":"ok"}';
    expect(reject(body)).toBe('invalid JSON line: line 3: ts is not an RFC3339 timestamp: "yesterday"');
  });

  test.each([
    ["ts as epoch nanoseconds", '{"ts":"1700000000000000000"}', "ts is not an RFC3339 timestamp"],
    ["ts as a number", '{"ts":1700000000}', "ts must be a string"],
    ["empty ts", '{"ts":""}', "ts is not an RFC3339 timestamp"],
    ["a non-string label value", '{"labels":{"replicas":3}}', "labels.replicas must be a string"],
    ["labels not an object", '{"labels":"{a=\\"b\\"}"}', "labels must be an object"],
    ["a non-string msg", '{"msg":{"text":"x"}}', "msg must be a string"],
    ["meta not an object of strings", '{"meta":{"n":1}}', "meta must be an object of strings"],
    ["a top-level array", "[1,2]", "expected a JSON object"],
    ["a bare string", '"hello"', "expected a JSON object"],
    ["null", "null", "expected a JSON object"],
    ["trailing garbage", '{"msg":"a"} garbage', "expected a JSON object"],
    ["an unterminated object", '{"msg":"a"', "unexpected end of input"],
    ["an unterminated string", '{"msg":"a', "unexpected end of input"],
  ])("%s", (_what, body, reason) => {
    expect(reject(body)).toStartWith(`invalid JSON line: line 1: ${reason}`);
  });

  test("malformed JSON inside an object reports its starting line", () => {
    expect(reject('{"msg":"a"}\n\n{"msg": nope}')).toMatch(/^invalid JSON line: line 3: ./);
  });

  test("line numbers count newlines inside multi-line objects", () => {
    expect(reject('{\n"msg":"a"\n}\n{"ts":"bad"}')).toStartWith("invalid JSON line: line 4: ");
  });
});
