/** The byte-level triage tally must count exactly what parsing every line would (frame-tally.ts explains why it can). */

import { describe, expect, test } from "bun:test";
import { FrameTally } from "../../src/analysis/triage/frame-tally.ts";
import { UnitTally } from "../../src/analysis/triage/unit-tally.ts";
import { decodeEntryLine, encodeEntryLine } from "../../src/capture/entry-line.ts";
import { mulberry32 } from "../../scripts/bench/shared/prng.ts";

/** Upstream §11.2's keywords, written out. */
const SPEC_KEYWORDS = ["error", "panic", "fatal", "exception", "fail", "refused", "timeout", "oomkilled", "crashloopbackoff", "segfault", "x509", "deadline exceeded"];

/**
 * §11.2's rule, written independently of the product: Go's `strings.ToLower` of the message (simple case mapping per
 * code point, so İ becomes a plain i and the Kelvin sign a k), then `strings.Contains` for each keyword.
 */
function specIsError(msg: string): boolean {
  let lower = "";
  for (const ch of msg) lower += ch === "\u0130" ? "i" : ch.toLowerCase();
  return SPEC_KEYWORDS.some((k) => lower.includes(k));
}

/** The reference: parse each line as the entry reader does and judge it by §11.2's rule. */
function parsedTally(lines: string[], bucketSec = 60) {
  const t = new UnitTally(bucketSec);
  for (const line of lines) {
    const e = decodeEntryLine(line);
    if (e !== null) t.addLine(e.sec, e.nsec, e.labels, specIsError(e.msg) ? e : null);
  }
  return t.toWire();
}

function frameTally(frames: string[][], bucketSec = 60) {
  const t = new UnitTally(bucketSec);
  const f = new FrameTally(t);
  for (const lines of frames) f.add(new TextEncoder().encode(lines.join("\n") + "\n"));
  return t.toWire();
}

const L = (msg: string, labels = '{"app":"api","level":"info"}', ts = "2025-01-15T10:00:00.5Z") =>
  `{"ts":"${ts}","labels":${labels},"msg":${JSON.stringify(msg)}}`;

describe("FrameTally agrees with parsing every line", () => {
  const tricky = [
    L("all good"),
    L("connection refused by upstream"),
    L("fine", '{"app":"api","level":"error"}'), // keyword only in a label value: not an error line
    L("fine", '{"error":"x"}'), // … or a label name
    `{"ts":"2025-01-15T10:00:01Z","msg":"no labels at all, timeout"}`,
    `{"ts":"2025-01-15T10:00:02Z","labels":{},"msg":"empty labels"}`,
    `{"ts":"2025-01-15T10:00:03Z","labels":null,"msg":"null labels, fatal"}`,
    `{"ts":"2025-01-15T10:00:04Z","labels":{"app":"api"},"msg":"meta mentions it","meta":{"k":"error"}}`,
    `{"ts":"2025-01-15T10:00:05Z","labels":{"app":"api"},"msg":"\\u0045RROR spelled with an escape"}`,
    `{"ts":"2025-01-15T10:00:06Z","labels":{"app":"api"},"msg":"line\\refused? no: CR then efused"}`,
    L("FAİL with a dotted capital I (Go folds İ to i)"),
    L("KILLED by the OOM killer: OOMKILLED"),
    L("temperature 5 \u212Aelvin is not an error"),
    L("日本語のエラー: deadline exceeded 🚀"),
    L("tab\tand \"quotes\" and \\backslash\\ but panic"),
    L('embedded },"msg":" separator, not a real one: segfault'),
    L("offset timestamp", '{"app":"web"}', "2025-01-15T12:00:00.123456789+02:00"),
    L("bad timestamp", '{"app":"web"}', "not-a-time"),
    '{"labels":{"app":"api"},"ts":"2025-01-15T10:00:07Z","msg":"fields in another order: exception"}',
    '{"ts":"2025-01-15T10:00:08Z","labels":{"app":"api"},"msg":"torn line with an error',
    "not json at all error",
    "",
    L("label value with unicode", '{"app":"ünïcødé","zone":"eu"}'),
    L("ErRoR in mixed case", '{"app":"ünïcødé","zone":"eu"}'),
    L("x509: certificate signed by unknown authority"),
    L("CrashLoopBackOff"),
    L('ends with a quoted "error"'),
    L("ends with a backslash: error \\"),
    '{"ts":"2025-01-15T10:00:09Z","labels":{"app":"api"},"msg":"an error, then a field","extra":"y"}',
    '{"ts":"2025-01-15T10:00:10Z","labels":{"app":"api"},"msg":"error with meta","meta":{"trace_id":"abc"}}',
  ];

  test("on lines written every way a capture line can be", () => {
    expect(frameTally([tricky])).toEqual(parsedTally(tricky));
    // And with the previous line's label set differing or repeating at every step.
    const shuffled = [...tricky].reverse();
    expect(frameTally([shuffled])).toEqual(parsedTally(shuffled));
  });

  test("on timestamps of one second written every way (the second is read once, the fraction per line)", () => {
    const second = "2025-01-15T10:00:00";
    const stamps = ["Z", ".5Z", ".123456789Z", ".1234567891Z", ".Z", ".12a4Z", ".000000001Z", "+02:00", ".5+02:00", ".5z", "Z", ".99Z"];
    const lines = stamps.map((tail, i) => L(i % 3 === 0 ? "request failed" : "ok", undefined, second + tail));
    lines.push(L("ok", undefined, "2025-01-15t10:00:00.5Z"), L("ok", undefined, "2025-01-15T23:59:60Z"), L("failed", undefined, "2025-01-15T23:59:59.5Z"));
    // Cut into frames so that a second known from one frame meets lines of the next.
    const frames = [lines.slice(0, 2), lines.slice(2, 7), lines.slice(7)];
    const want = parsedTally(lines, 1);
    expect(want.lines).toBeGreaterThan(10);
    expect(frameTally(frames, 1)).toEqual(want);
    expect(frameTally([lines], 1)).toEqual(want);
  });

  test("on 20,000 generated lines across frames, streams and keyword positions", () => {
    const r = mulberry32(7);
    const words = ["ok", "request", "done", "user", "cache", "Error", "FAILED", "timeout", "exception", "refused", "é", "🚀", "\\", '"', "\n", "<b>", "x509", "deadline exceeded", "deadline  exceeded"];
    const streams = ['{"app":"api","level":"info"}', '{"app":"api","level":"error"}', '{"app":"web"}', '{"app":"db","pod":"db-0"}'];
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const n = 1 + Math.floor(r() * 8);
      let msg = "";
      for (let k = 0; k < n; k++) msg += (k ? " " : "") + words[Math.floor(r() * words.length)];
      const labels = JSON.parse(streams[Math.floor((i / 50) % streams.length)]!);
      const entry = { sec: 1_736_935_200 + Math.floor(i / 7), nsec: (i * 7919) % 1_000_000_000, labels, msg };
      lines.push(r() < 0.05 ? encodeEntryLine({ ...entry, meta: { note: "error" } }) : encodeEntryLine(entry));
    }
    const frames: string[][] = [];
    for (let i = 0; i < lines.length; i += 2_500) frames.push(lines.slice(i, i + 2_500));
    const want = parsedTally(lines, 30);
    expect(want.errors).toBeGreaterThan(1000);
    expect(frameTally(frames, 30)).toEqual(want);
  });
});
