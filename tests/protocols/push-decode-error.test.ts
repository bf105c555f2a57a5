import { describe, expect, test } from "bun:test";
import { PushDecodeError, jsonSyntaxDetail, quoteForError } from "../../src/protocols/push-decode-error.ts";

describe("PushDecodeError (the one-line body of a 400)", () => {
  test("is an Error named PushDecodeError carrying the message as given", () => {
    const err = new PushDecodeError("invalid JSON: streams must be an array");
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("PushDecodeError");
    expect(err.message).toBe("invalid JSON: streams must be an array");
  });

  test("folds line breaks so the reply stays one line", () => {
    expect(new PushDecodeError("invalid JSON: a\nb\r\nc").message).toBe("invalid JSON: a b c");
  });

  test("caps very long messages (client text can be megabytes)", () => {
    const message = new PushDecodeError("couldn't parse labels: " + "x".repeat(100_000)).message;
    expect(message.length).toBeLessThanOrEqual(512);
    expect(message.endsWith("…")).toBe(true);
  });

  test("jsonSyntaxDetail drops the runtime's 'JSON Parse error:' prefix", () => {
    let err: unknown;
    try {
      JSON.parse("{");
    } catch (e) {
      err = e;
    }
    expect(jsonSyntaxDetail(err)).not.toMatch(/^JSON Parse error/);
    expect(jsonSyntaxDetail(err).length).toBeGreaterThan(0);
  });

  test("quoteForError quotes and shortens client text", () => {
    expect(quoteForError("yesterday")).toBe('"yesterday"');
    expect(quoteForError("y".repeat(100), 4)).toBe('"yyyy…"');
  });
});
