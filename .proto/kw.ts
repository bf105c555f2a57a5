import { CaptureReader } from "../src/capture/reader/capture-reader.ts";
import { ERROR_KEYWORDS } from "../src/analysis/signature/error-line.ts";
const frames: Uint8Array[] = [];
for await (const fr of new CaptureReader("/tmp/logtap-bench-capture-1g").frames()) { frames.push(fr.bytes); if (frames.length >= 40) break; }
const texts = frames.map((b) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1"));
const bytes = texts.reduce((n, t) => n + t.length, 0);
function bench(name: string, f: (t: string, i: number) => number) {
  let c = 0; for (let r = 0; r < 2; r++) texts.forEach((t, i) => (c += f(t, i)));
  const s = performance.now(); for (let r = 0; r < 5; r++) texts.forEach((t, i) => (c += f(t, i)));
  const ms = performance.now() - s; console.log(name.padEnd(30), (bytes * 5 / 1e6 / ms).toFixed(2), "GB/s", c);
}
const gi = new RegExp(ERROR_KEYWORDS.join("|"), "gi");
const g = new RegExp(ERROR_KEYWORDS.join("|"), "g");
bench("regex /gi", (t) => { gi.lastIndex = 0; let n = 0; while (gi.exec(t)) n++; return n; });
bench("toLowerCase only", (t) => t.toLowerCase().length);
bench("lower + regex /g", (t) => { const l = t.toLowerCase(); g.lastIndex = 0; let n = 0; while (g.exec(l)) n++; return n; });
const kws = ERROR_KEYWORDS.map((k) => Buffer.from(k));
bench("lower + buf + 12 memmem", (t) => { const b = Buffer.from(t.toLowerCase(), "latin1"); let n = 0; for (const k of kws) { let at = b.indexOf(k); while (at >= 0) { n++; at = b.indexOf(k, at + k.length); } } return n; });
bench("lower + 12 str indexOf", (t) => { const l = t.toLowerCase(); let n = 0; for (const k of ERROR_KEYWORDS) { let at = l.indexOf(k); while (at >= 0) { n++; at = l.indexOf(k, at + k.length); } } return n; });
// lowercase bytes directly in a reused buffer via bitwise op on letters
let lb = Buffer.alloc(2 << 20);
bench("byte-lower loop + 12 memmem", (t, i) => { const src = frames[i]!; const n0 = src.length; for (let j = 0; j < n0; j++) { const c = src[j]!; lb[j] = c >= 65 && c <= 90 ? c | 32 : c; } const b = lb.subarray(0, n0); let n = 0; for (const k of kws) { let at = b.indexOf(k); while (at >= 0) { n++; at = b.indexOf(k, at + k.length); } } return n; });
const counts: Record<string, number> = {};
for (const t of texts) { const l = t.toLowerCase(); for (const k of ERROR_KEYWORDS) { let at = l.indexOf(k); while (at >= 0) { counts[k] = (counts[k] ?? 0) + 1; at = l.indexOf(k, at + 1); } } }
console.log(counts, texts.reduce((n, t) => n + t.split("\n").length, 0));
console.log(texts[0]!.split("\n").filter((l) => /error/i.test(l)).slice(0, 3));
