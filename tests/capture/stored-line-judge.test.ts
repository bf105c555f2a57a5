import { describe, expect, test } from "bun:test";
import { decodeEntryLine, encodeEntryLine } from "../../src/capture/entry-line.ts";
import { EntryFilter } from "../../src/capture/filters/entry-filter.ts";
import { MATCH, NO, StoredLineJudge, UNSURE, type JudgeSpec } from "../../src/capture/reader/stored-line-judge.ts";
import { OutputBuffers } from "../../src/capture/reader/output-buffers.ts";
import { judgeFrame } from "../../src/capture/reader/judge-frame.ts";
import { parseRfc3339 } from "../../src/capture/timestamp.ts";
import { mulberry32 } from "../../scripts/bench/shared/prng.ts";
import { plainLiterals } from "../../src/regex/plain-literals.ts";
import { compileRe2 } from "../../src/regex/re2.ts";

/** The general path's answer: parse, filter (regex on message or label values), and for printing, re-encode. */
function general(line: string, spec: JudgeSpec): { match: boolean; printed?: string } {
  const e = decodeEntryLine(line);
  if (e === null) return { match: false };
  // As grep compiles the pattern (plain literals need no escaping in RE2 syntax).
  const re = compileRe2(`${spec.fold ? "(?i)" : ""}${spec.literals.join("|")}`);
  const f = new EntryFilter({ regex: re, labels: spec.labels, from: spec.from, to: spec.to });
  return f.matches(e) ? { match: true, printed: encodeEntryLine(e) } : { match: false };
}

/** A judge may be unsure; when it is sure it must agree with the general path, and MATCH must print as stored. */
function agrees(line: string, spec: JudgeSpec): number {
  const b = Buffer.from(line);
  const judge = new StoredLineJudge(spec);
  const v = judge.judge(b, 0, b.length, judge.haystack(b));
  const g = general(line, spec);
  if (v === MATCH) {
    expect({ line, match: g.match }).toEqual({ line, match: true });
    if (spec.output) expect(g.printed).toBe(line);
  } else if (v === NO) expect({ line, match: g.match }).toEqual({ line, match: false });
  return v;
}

const count = (literals: string[], more: Partial<JudgeSpec> = {}): JudgeSpec => ({ literals, labels: [], output: false, ...more });
const print = (literals: string[], more: Partial<JudgeSpec> = {}): JudgeSpec => ({ ...count(literals, more), output: true });
const fold = (spec: JudgeSpec): JudgeSpec => ({ ...spec, fold: true });

describe("stored-line judge", () => {
  test("plain lines: decided without parsing, matches printable as stored", () => {
    const line = '{"ts":"2026-01-01T00:00:00.5Z","labels":{"app":"api"},"msg":"context deadline exceeded"}';
    for (const spec of [count(["deadline"]), print(["deadline"])]) expect(agrees(line, spec)).toBe(MATCH);
    expect(agrees(line, count(["nothing"]))).toBe(NO);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"x deadline"}', print(["deadline"]))).toBe(MATCH);
  });

  test("label values match, label keys and timestamps do not; label filters apply", () => {
    const line = '{"ts":"2026-01-01T00:00:00Z","labels":{"app":"checkout","pod":"p-1"},"msg":"ok"}';
    expect(agrees(line, count(["checkout"]))).toBe(MATCH);
    expect(agrees(line, count(["app"]))).toBe(NO);
    expect(agrees(line, count(["2026"]))).toBe(NO);
    expect(agrees(line, count(["ok"], { labels: [{ key: "app", value: "checkout" }] }))).toBe(MATCH);
    expect(agrees(line, count(["ok"], { labels: [{ key: "app", value: "web" }] }))).toBe(NO);
  });

  test("time bounds are inclusive", () => {
    const line = '{"ts":"2026-01-01T00:00:10.25Z","msg":"tick tock"}';
    const at = parseRfc3339("2026-01-01T00:00:10.25Z")!;
    expect(agrees(line, count(["tick"], { from: at, to: at }))).toBe(MATCH);
    expect(agrees(line, count(["tick"], { from: parseRfc3339("2026-01-01T00:00:10.250000001Z")! }))).toBe(NO);
    expect(agrees(line, count(["tick"], { to: parseRfc3339("2026-01-01T00:00:10.249Z")! }))).toBe(NO);
  });

  test("escapes: a hit inside one is no hit; escapes that could spell a literal leave the judge unsure", () => {
    // `\n` then "nfo": the decoded message holds a newline, not "nfo" after a backslash.
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"a\\nfo"}', count(["nfo"]))).toBe(NO);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"a\\\\nfo"}', count(["nfo"]))).toBe(MATCH);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"x \\u003cb"}', count(["003c"]))).toBe(NO);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"\\u0065rror error"}', count(["error"]))).toBe(UNSURE);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"a\\/b error"}', count(["error"]))).toBe(UNSURE);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"say \\"error\\"\\t<x>"}', count(["error"]))).toBe(MATCH);
  });

  test("printing: only lines logtap itself would write that way are printed as stored", () => {
    const spec = print(["error"]);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"error \\u003cb\\u003e \\b\\f"}', spec)).toBe(MATCH);
    for (const line of [
      '{"ts":"2026-01-01T00:00:00Z","msg":"error <b>"}', // Go escapes < as \u003c
      '{"ts":"2026-01-01T00:00:00Z","msg":"error \\u0008"}', // re-encoded as \b
      '{"ts":"2026-01-01T00:00:00Z","msg":"error \\u003C"}', // re-encoded with lower-case hex
      '{"ts":"2026-01-01T01:00:00+01:00","msg":"error"}', // re-encoded in UTC
      '{"ts":"2026-01-01T00:00:00.500Z","msg":"error"}', // fraction re-encoded trimmed
      '{"ts":"2026-01-01T00:00:00Z","labels":{"b":"1","a":"2"},"msg":"error"}', // keys re-encoded sorted
      '{"ts":"2026-01-01T00:00:00Z","labels":{},"msg":"error"}', // empty labels dropped
      '{"ts":"2026-01-01T00:00:00Z","msg":"error","meta":{}}', // empty meta dropped
      '{"ts":"2026-01-01T00:00:00Z","msg":"error","extra":1}', // unknown fields dropped
      '{"ts":"2026-01-01T00:00:00Z","msg":"error \u2028"}', // Go escapes U+2028
    ])
      expect(agrees(line, spec)).toBe(UNSURE);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"error","meta":{"trace_id":"abc"}}', spec)).toBe(MATCH);
    expect(agrees('{"ts":"2026-01-01T00:00:00Z","msg":"error ünïcödé 日本"}', spec)).toBe(MATCH);
  });

  test("(?i): ASCII case-insensitive in message and label values, escapes as case-sensitive, fold partners unsure", () => {
    const at = (msg: string, labels = "") => `{"ts":"2026-01-01T00:00:00Z"${labels},"msg":"${msg}"}`;
    for (const spec of [fold(count(["error", "timeout"])), fold(print(["error", "timeout"]))]) {
      for (const msg of ["ERROR 1", "an eRRoR", "Timeout!", 'x \\"Error\\"', "a\\\\ERROR"]) expect(agrees(at(msg), spec)).toBe(MATCH);
      expect(agrees(at("ok", ',"labels":{"app":"Error-Svc"}'), spec)).toBe(MATCH);
      expect(agrees(at("ok", ',"labels":{"ERROR":"x"}'), spec)).toBe(NO); // a label key
      expect(agrees(at("errors are not timeouts", ',"labels":{"a":"b"}'), spec)).toBe(MATCH);
      expect(agrees(at("err or tIme out"), spec)).toBe(NO);
      // An escaped printable letter could spell the literal: unsure, as for a case-sensitive literal.
      expect(agrees(at("\\u0045RROR"), spec)).toBe(UNSURE);
      // Non-ASCII letters fold to no ASCII letter but k and s: "É" is not "e".
      expect(agrees(at("ÉRROR"), spec)).toBe(NO);
    }
    // A hit starting inside an escape is no hit, whatever the escape's case: `\n` then "FO", `\u003C` then "b".
    expect(agrees(at("a\\nFO"), fold(count(["nfo"])))).toBe(NO);
    expect(agrees(at("x \\u003Cb"), fold(count(["003c"])))).toBe(NO);
    expect(agrees(at("x \\u003Cb"), fold(count(["3cb"])))).toBe(NO);
    // U+212A KELVIN SIGN is a k and U+017F LONG S an s under the regex's `iv` flags: the judge leaves such messages to
    // the general path, raw or escaped, and decides label values with the regex.
    for (const spec of [fold(count(["kill", "success"])), fold(print(["kill", "success"]))]) {
      for (const msg of ["\u212aill -9", "\\u212Aill", "\u017fuccess", "\\u017fUCCESS", "KILL \u212a"]) expect(agrees(at(msg), spec)).toBe(UNSURE);
      expect(agrees(at("ok", ',"labels":{"app":"\u212aILL"}'), spec)).toBe(MATCH);
      expect(agrees(at("ok", ',"labels":{"app":"\u212a"}'), spec)).toBe(NO);
    }
    // Literals without k or s have no partner to fear; case-sensitive literals neither.
    expect(agrees(at("ERROR \u212a"), fold(count(["error"])))).toBe(MATCH);
    expect(agrees(at("\u212aill"), count(["kill"]))).toBe(NO);
    expect(agrees(at("STRAßE"), fold(count(["strasse"])))).toBe(NO);
  });

  test("lines that are not entries are never counted", () => {
    for (const line of [
      '{"ts":"2026-01-01T00:00:00Z","msg":"error', // torn
      '{"ts":"2026-01-01T00:00:00Z","msg":"error\tx"}', // raw control byte: not JSON
      '{"ts":"2026-02-30T00:00:00Z","msg":"error"}',
      '{"ts":"2026-01-01T00:00:00Z","labels":{"a":1},"msg":"error"}',
      '{"ts":"2026-01-01T00:00:00Z","msg":"error","meta":{"a":1}}',
    ])
      expect(agrees(line, count(["error"]))).not.toBe(MATCH);
  });

  test("a label set like the last line's is taken as it only when the message follows it", () => {
    const judge = new StoredLineJudge(count(["error"]));
    const first = '{"ts":"2026-01-01T00:00:00Z","labels":{"app":"web"},"msg":"error one"}';
    // Not an entry (no message), though its bytes after the labels read as a message "error" and a meta map.
    const second = '{"ts":"2026-01-01T00:00:00Z","labels":{"app":"web"},"zzz":"error","meta":{"a":"b"}}';
    const frame = Buffer.from(`${first}\n${second}\n`);
    expect(judge.judge(frame, 0, first.length, frame)).toBe(MATCH);
    expect(judge.judge(frame, first.length + 1, frame.length - 1, frame)).toBe(UNSURE);
    expect(general(second, count(["error"])).match).toBe(false);
  });

  test("property: on random tricky lines the judge is unsure or agrees with the general path", () => {
    const r = mulberry32(14);
    const sure = { [MATCH]: 0, [NO]: 0, [UNSURE]: 0 };
    for (let i = 0; i < 20_000; i++) {
      const { line, spec } = trickyLine(r);
      sure[agrees(line, spec) as 0 | 1 | 2]++;
    }
    // Both sure verdicts must be exercised often (the generator makes many lines the judge must leave alone).
    expect(Math.min(sure[MATCH], sure[NO])).toBeGreaterThan(1000);
  });

  test("frames with many candidate lines, read by the SIMD frame scanner, get the verdicts of judging line by line", () => {
    const outputs = new OutputBuffers();
    const r = mulberry32(21);
    let matched = 0;
    for (let round = 0; round < 40; round++) {
      const { spec } = trickyLine(r);
      // One judge across frames, as a search worker keeps it: one literal is searched by the scanner (the last frame
      // written into its memory as the worker's decompressor does), several by memmem with the scanner reading the
      // messages.
      const judge = new StoredLineJudge(spec);
      for (let f = 0; f < 3; f++) {
        const lines: string[] = [];
        while (lines.length < 300) {
          const t = trickyLine(r, spec);
          lines.push(t.line);
        }
        const text = lines.join("\n") + "\n";
        let frame: Buffer = Buffer.from(text);
        const target = f === 2 ? judge.frameTarget(frame.length) : null;
        if (target !== null) {
          target.set(frame);
          frame = Buffer.from(target.buffer, target.byteOffset, target.length);
        }
        const got = judgeFrame(frame, judge, spec.output, outputs);
        const want = lineByLine(lines, spec);
        expect({ round, f, count: got.count, unsure: got.unsure }).toEqual({ round, f, count: want.count, unsure: want.unsure });
        if (spec.output) expect(Buffer.from(got.out!).toString()).toBe(want.printed);
        // Given back, so that later frames are written over earlier output.
        if (got.out) outputs.giveBack(got.out.buffer as ArrayBuffer);
        matched += got.count;
      }
    }
    expect(matched).toBeGreaterThan(5000);
  });
});

/** judgeFrame's answer computed with a fresh judge per line (so with the JS scans): count, unsure lines, printed. */
function lineByLine(lines: readonly string[], spec: JudgeSpec): { count: number; unsure: string[]; printed: string } {
  let count = 0;
  let printed = "";
  const unsure: string[] = [];
  for (const line of lines) {
    const b = Buffer.from(line);
    const judge = new StoredLineJudge(spec);
    const hay = judge.haystack(b);
    if (!judge.needles.some((n) => hay.includes(n))) continue;
    const v = judge.judge(b, 0, b.length, hay);
    if (v === MATCH) {
      count++;
      printed += line + "\n";
    } else if (v === UNSURE) unsure.push(line);
  }
  return { count, unsure, printed };
}

/**
 * A random line of pieces that are hard for a byte-level judge (escapes, fold partners, odd timestamps, label sets
 * and tails), and a random spec for it — or, given `spec`, a line for that spec.
 */
function trickyLine(r: () => number, given?: JudgeSpec): { line: string; spec: JudgeSpec } {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const pieces = ["error", "err", "or", "timeout", " ", "\\n", "\\\\", '\\"', "\\u003c", "\\t", "ü", "日", "x", "rror", "e", "k", "s"];
  // Rarer: what leaves the judge unsure (or, printing, is not canonical).
  const odd = ["\\u0065", "<", "&", "\\/", "\\u0008", "\u2028"];
  const tss = ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123Z", "2026-01-01T00:00:00.120Z", "2026-01-01T01:00:00+01:00", "bad", "2026-01-01T00:01:59.5Z", "2026-01-01T00:01:60Z", "2026-01-02T23:59:07Z"];
  const labelSets = ['', ',"labels":{"app":"error-svc"}', ',"labels":{"app":"web","error":"x"}', ',"labels":{"z":"1","a":"2"}', ',"labels":{}', ',"labels":null', ',"labels":{"app":"ERROR-svc"}', ',"labels":{"app":"\u212aerr"}', ',"labels":{"app":"web","msg":"x"}'];
  const tails = ["}", ',"meta":{"k":"error"}}', ',"meta":{}}', ',"x":1}', "", ',"meta":{"a":"1","b":"\\"x"}}', ',"meta":{"b":"1","a":"2"}}', ',"meta":{"a":"<"}}', ',"meta":{"a":1}}', ',"meta":{"a":"1"} }', ',"meta":{"a":"1","a":"2"}}'];
  let msg = "";
  for (let k = Math.floor(r() * 8); k > 0; k--) msg += r() < 0.03 ? pick(odd) : pick(pieces);
  const often = <T>(a: readonly T[]): T => (r() < 0.7 ? a[0]! : pick(a));
  let spec = given;
  if (spec === undefined) {
    const lits = pick([["error"], ["error", "timeout"], ["rror"], ["kerr", "or s"], ["timeout"], ["nfo"]]);
    const base = r() < 0.5 ? count(lits) : print(lits, { labels: r() < 0.2 ? [{ key: "app", value: "web" }] : [] });
    // Case-insensitive: the message's letters in random case, some k and s their non-ASCII partners.
    spec = r() < 0.5 ? fold(base) : base;
  }
  // Lines for a frame mostly hold a literal, so most are candidates.
  // Lines for a frame mostly hold a literal, so most are candidates; some right after an escape (`\timeout` is a tab
  // and "imeout"), or after an escaped backslash (a backslash and "timeout").
  if (given !== undefined && r() < 0.8) msg += `${pick([" ", " ", "\\", "\\\\", "\\\\\\"])}${pick(spec.literals)} `;
  const line = `{"ts":"${often(tss)}"${pick(labelSets)},"msg":"${spec.fold ? shuffleCase(msg, r) : msg}"${often(tails)}`;
  return { line, spec };
}

/** Flips the case of random letters outside escapes, and turns some k and s into U+212A and U+017F (raw). */
function shuffleCase(line: string, r: () => number): string {
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\") {
      out += line.slice(i, i + 2);
      i++;
    } else if (/[ks]/i.test(c) && r() < 0.05) out += c.toLowerCase() === "k" ? "\u212a" : "\u017f";
    else out += /[a-z]/i.test(c) && r() < 0.3 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c;
  }
  return out;
}

describe("plain literals", () => {
  test("literals and alternations of literals; anything else is not", () => {
    expect(plainLiterals("deadline exceeded")).toEqual({ literals: ["deadline exceeded"], fold: false });
    expect(plainLiterals("error|timeout")).toEqual({ literals: ["error", "timeout"], fold: false });
    expect(plainLiterals("(?i)Error|TIMEOUT|error")).toEqual({ literals: ["error", "timeout"], fold: true });
    for (const p of ["(?i)", "(?i)err.r", "(?i)é", "(?is)error", "(?i:error)", "error|(?i)timeout", "err.r", "^error", "a|", "x", "a<b", "é", "a|b|c|d|e", "a\\.b"])
      expect(plainLiterals(p)).toBeNull();
  });
});
