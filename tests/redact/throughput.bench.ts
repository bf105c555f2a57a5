/**
 * Redaction throughput, one core, all built-ins on: `taskset -c 0 bun tests/redact/throughput.bench.ts`.
 * The receiver needs ≥ 250,000 entries/s of ~150-byte lines.
 */

import { BUILTIN_NAMES, createRedactor } from "../../src/redact/redactor.ts";

const LINES: Record<string, string> = {
  typical: 'level=info msg="request handled" method=GET path=/api/v1/items/42 status=200 duration=12ms trace_id=abcdef0123456789',
  "no digits": 'level=info msg="cache warmed" component=worker region=eu-west phase=startup result=ok note="nothing to report here"',
  "pii mix": 'level=warn msg="payment retry" user=jane.doe@example.com card=4111 1111 1111 1111 ip=10.0.12.7 phone=(555) 123-4567',
  "bearer+jwt": "GET /v1/me Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl from 192.168.1.20",
  "ms timestamp": 'ts=1700000000000 level=debug msg="tick" worker=7 queue_depth=12 lag_ms=3 shard=eu-1 ok=true retries=0 x=1',
};

let hits = 0;
const redactor = await createRedactor({ names: BUILTIN_NAMES, onHit: (_p, n) => (hits += n) });
const N = 1_000_000;

for (const [label, line] of Object.entries(LINES)) {
  // Distinct string objects, as the decoder produces, so no engine-level caching of one string helps.
  const inputs = Array.from({ length: 1024 }, (_, i) => (i % 2 ? line : `${line} `).slice(0));
  for (let i = 0; i < 200_000; i++) redactor.redact(inputs[i & 1023]!);
  const t0 = Bun.nanoseconds();
  for (let i = 0; i < N; i++) redactor.redact(inputs[i & 1023]!);
  const secs = (Bun.nanoseconds() - t0) / 1e9;
  console.log(`${label.padEnd(14)} ${line.length} B  ${Math.round(N / secs).toLocaleString("en-US").padStart(11)} entries/s`);
}
console.log(`(hits counted: ${hits})`);
