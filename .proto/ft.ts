import { CaptureReader } from "../src/capture/reader/capture-reader.ts";
import { FrameTally } from "../src/analysis/triage/frame-tally.ts";
import { UnitTally } from "../src/analysis/triage/unit-tally.ts";
const dir = "/tmp/logtap-bench-capture-1g";
const t = new UnitTally(60); const f = new FrameTally(t);
let tf = 0, nfr = 0;
const t0 = performance.now();
for await (const fr of new CaptureReader(dir).frames()) { const a = performance.now(); f.add(fr.bytes); tf += performance.now() - a; if (++nfr >= 300) break; }
const w = t.toWire();
console.log({ frames: nfr, lines: w.lines, errors: w.errors, tallyMs: tf.toFixed(0), totalMs: (performance.now() - t0).toFixed(0), usPerLine: (tf * 1000 / w.lines).toFixed(3) });
