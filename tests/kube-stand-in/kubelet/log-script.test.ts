/** The log-script annotation's parser: what a test may write, and the loud errors for what it may not. */

import { describe, expect, test } from "bun:test";
import { logScriptsOf, parseLogScript, renderLine, scriptTotal } from "./log-script.ts";

describe("log scripts", () => {
  test("are read from stand-in.logtap.dev/logs.<container> annotations", () => {
    const scripts = logScriptsOf({ "stand-in.logtap.dev/logs.app": '{"lines":["a"]}', "other/x": "y", "stand-in.logtap.dev/logs.side": '{"template":"s{n}","rate":5}' });
    expect([...scripts.keys()]).toEqual(["app", "side"]);
    expect(scriptTotal(scripts.get("app")!)).toBe(1);
    expect(scriptTotal(scripts.get("side")!)).toBe(Infinity);
    expect(scriptTotal(parseLogScript("c", '{"template":"x","count":null}'))).toBe(Infinity);
  });

  test("fill placeholders and cycle fixed lines", () => {
    const s = parseLogScript("c", '{"lines":["first {n}","second {container}@{pod}.{namespace} r{restart}"],"count":5}');
    const vars = { pod: "p", namespace: "ns", container: "c", restart: 2 };
    expect([1, 2, 3].map((n) => renderLine(s, n, vars))).toEqual(["first 1", "second c@p.ns r2", "first 3"]);
  });

  test("refuse what would silently do nothing", () => {
    const err = (json: string) => {
      try {
        parseLogScript("app", json);
      } catch (e) {
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(err("{")).toStartWith('log script for container "app": not JSON');
    expect(err("[]")).toBe('log script for container "app": must be a JSON object');
    expect(err("{}")).toBe('log script for container "app": needs "lines" or "template"');
    expect(err('{"lines":["a"],"template":"b"}')).toBe('log script for container "app": give "lines" or "template", not both');
    expect(err('{"template":"a","rate":-1}')).toBe('log script for container "app": "rate" must be a non-negative number');
    expect(err('{"template":"a","restartAfter":1.5}')).toBe('log script for container "app": "restartAfter" must be a positive integer');
    expect(err('{"lines":[],"count":3}')).toBe('log script for container "app": "lines" is empty but "count" asks for 3');
    expect(err('{"template":"a","stream":"both"}')).toBe('log script for container "app": "stream" must be "stdout" or "stderr"');
  });
});
