/**
 * Cost of each built-in redaction rule on the ingest benchmark's messages (one thread), to see where `--redact`
 * spends its time. Run: node_modules/.bin/bun scripts/bench/ingest/redact-rules.ts [--seconds 1.5]
 */

import { parseArgs } from "node:util";
import snappy from "snappyjs";
import { BUILTIN_NAMES, createRedactor } from "../../../src/redact/redactor.ts";
import { builtinRules } from "../../../src/redact/builtins.ts";
import type { HitCount } from "../../../src/redact/rule.ts";
import { decodeProto } from "../../../src/protocols/loki/decode-proto.ts";
import { buildPool } from "./payloads.ts";
import { PREFILTERS, withPrefilter } from "../../../src/redact/prefilter.ts";

const { values: args } = parseArgs({ options: { seconds: { type: "string", default: "1.5" } } });
const SECONDS = Number(args.seconds);
const pool = buildPool(8);
const msgs = pool.flatMap((p) => decodeProto(snappy.uncompress(p.protoSnappy)).map((e) => e.msg));
const perPush = pool[0]!.entries;

function time(fn: (m: string) => string): number {
  for (let r = 0; r < 3; r++) for (const m of msgs) fn(m);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (const m of msgs) fn(m);
    n += msgs.length;
  }
  return ((performance.now() - t0) * 1e6) / n; // ns per message
}

const hits: HitCount = { count: 0 };
console.log(`${msgs.length} messages, mean ${Math.round(msgs.reduce((a, m) => a + m.length, 0) / msgs.length)} chars\n`);
console.log(`rule            ns/msg   ms/push   msgs changed`);
let sum = 0;
for (const rule of builtinRules(BUILTIN_NAMES)) {
  let changed = 0;
  for (const m of msgs) if (rule.apply(m, hits) !== m) changed++;
  const ns = time((m) => rule.apply(m, hits));
  sum += ns;
  console.log(`${rule.name.padEnd(14)} ${ns.toFixed(0).padStart(7)} ${((ns * perPush) / 1e6).toFixed(2).padStart(9)}   ${((100 * changed) / msgs.length).toFixed(1)}%`);
}
const redactor = await createRedactor({ names: BUILTIN_NAMES, onHit: () => {} });
const all = time((m) => redactor.redact(m));
console.log(`${"sum of rules".padEnd(14)} ${sum.toFixed(0).padStart(7)} ${((sum * perPush) / 1e6).toFixed(2).padStart(9)}`);
console.log(`${"redactor (all)".padEnd(14)} ${all.toFixed(0).padStart(7)} ${((all * perPush) / 1e6).toFixed(2).padStart(9)}   → ${Math.round(1e9 / all).toLocaleString("en-US")} entries/s on one thread`);

// ---- candidate: native-regex prefilters (candidates/redact-prefilter.ts) ----------------------------------------
// Equivalence on the pool plus strings built to sit right at each prefilter's edge.
const edge = [
  "card 4111 1111 1111 1111 end", "card 4111-1111-1111-1111", "4 1 1 1 1 1 1 1 1 1 1 1 1", "1-2--3---4----5-----6------7-------8 9 0 1 2 3",
  "amex 378282246310005", "num 1234567890123", "ts=1700000000000", "x4111111111111111", "4111111111111111x",
  "1.2.3.4", "connect 127.0.0.1:8080", "v1.2.3", "999.1.1.1", "a1.1.1.1", "10.0.0.256", "1.22.333.4444",
  "Bearer abc", "BEARER\tx.y", "Authorization: Bearer t", "authorization:bearer x", "bearerx", "ſBearer k", "Bearer  ",
  "\u212Aearer x", "B\u0117arer x", "",
];
let checked = 0;
for (const rule of builtinRules(BUILTIN_NAMES)) {
  const fast = withPrefilter(rule);
  if (fast === rule) continue;
  for (const m of [...msgs, ...edge]) {
    const h1: HitCount = { count: 0 };
    const h2: HitCount = { count: 0 };
    if (rule.apply(m, h1) !== fast.apply(m, h2) || h1.count !== h2.count) throw new Error(`prefilter changes ${rule.name} on ${JSON.stringify(m)}`);
    checked++;
  }
}
console.log(`\nprefiltered rules (${Object.keys(PREFILTERS).join(", ")}): identical output and hit counts on ${checked.toLocaleString("en-US")} checks`);
let sumFast = 0;
for (const rule of builtinRules(BUILTIN_NAMES)) {
  if (!PREFILTERS[rule.name]) continue;
  const fast = withPrefilter(rule);
  const ns = time((m) => fast.apply(m, hits));
  sumFast += ns;
  console.log(`${(rule.name + "+pf").padEnd(14)} ${ns.toFixed(0).padStart(7)} ${((ns * perPush) / 1e6).toFixed(2).padStart(9)}`);
}
const fastRules = builtinRules(BUILTIN_NAMES).map(withPrefilter);
const allFast = time((m) => {
  for (const r of fastRules) m = r.apply(m, hits);
  return m;
});
console.log(`${"all, prefiltered".padEnd(14)} ${allFast.toFixed(0).padStart(7)} ${((allFast * perPush) / 1e6).toFixed(2).padStart(9)}   → ${Math.round(1e9 / allFast).toLocaleString("en-US")} entries/s on one thread (${(all / allFast).toFixed(2)}× faster)`);
