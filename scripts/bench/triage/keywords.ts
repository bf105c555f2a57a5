/**
 * The error-keyword search of triage's frame tally — the SIMD literal scanner over each decompressed frame's bytes
 * (src/scan/literal-scanner.ts, used by src/analysis/triage/frame-tally.ts) — against the other ways to find the
 * same keywords, on real capture frames, in GB/s: the case-insensitive regex over the frame's latin1 text that it
 * replaced, and lower-case-then-search ways. The floor is copying the frame's bytes alone, which the scanner pays before
 * it searches. Every way must find the same number of hits, or the script fails.
 *
 * Run: node_modules/.bin/bun scripts/bench/triage/keywords.ts [--capture /tmp/logtap-bench-capture-1g]
 *        [--own-capture /tmp/logtap-bench-keywords-capture] [--gib 0.05] [--binary dist/logtap] [--frames 40]
 *        [--runs 5]
 *
 * The capture is the read benchmark's when its marker is there (scripts/bench/read/make-capture.ts), else a small
 * one of `--gib` built the same way at --own-capture. The frames are decompressed once, before timing; each way
 * runs twice untimed, then `--runs` times over all frames.
 */

import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CaptureReader } from "../../../src/capture/reader/capture-reader.ts";
import { ERROR_KEYWORDS, errorKeywordScanner } from "../../../src/analysis/signature/error-line.ts";
import { LiteralScanner } from "../../../src/scan/literal-scanner.ts";
import { ensureCapture, ROOT, type CaptureMarker } from "../read/make-capture.ts";

const { values: args } = parseArgs({
  options: {
    capture: { type: "string", default: "/tmp/logtap-bench-capture-1g" },
    "own-capture": { type: "string", default: "/tmp/logtap-bench-keywords-capture" },
    gib: { type: "string", default: "0.05" },
    binary: { type: "string", default: "dist/logtap" },
    frames: { type: "string", default: "40" },
    runs: { type: "string", default: "5" },
  },
});
const say = (s = "") => process.stdout.write(s + "\n");

const marker = join(resolve(args.capture!), ".bench-capture.json");
const capture: CaptureMarker = existsSync(marker)
  ? (JSON.parse(readFileSync(marker, "utf8")) as CaptureMarker)
  : await ensureCapture({ dir: args["own-capture"]!, gib: Number(args.gib), binary: resolve(ROOT, args.binary!) });

const frames: Buffer[] = [];
for await (const f of new CaptureReader(capture.dir).frames()) {
  frames.push(Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length));
  if (frames.length >= Number(args.frames)) break;
}
const texts = frames.map((b) => b.toString("latin1"));
const bytes = texts.reduce((n, t) => n + t.length, 0);

const keywordBytes = ERROR_KEYWORDS.map((k) => Buffer.from(k));
const lowered = Buffer.alloc(Math.max(...frames.map((f) => f.length)));

function countRegex(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

function countIndexOf(haystack: string | Buffer, needles: readonly (string | Buffer)[]): number {
  let n = 0;
  for (const k of needles) {
    for (let at = haystack.indexOf(k as never); at >= 0; at = haystack.indexOf(k as never, at + k.length)) n++;
  }
  return n;
}

const scanner = new LiteralScanner(ERROR_KEYWORDS, true);
const regex = errorKeywordScanner();
const caseSensitive = new RegExp(ERROR_KEYWORDS.join("|"), "g");
/** Each way returns its hits in frame i (the floor, a length: something the JIT cannot drop). */
const ways: { name: string; floor?: true; run: (i: number) => number }[] = [
  { name: "SIMD literal scanner, bytes copied in (the product)", run: (i) => scanner.scan(frames[i]!).length },
  { name: "case-insensitive regex over the latin1 text (the product before)", run: (i) => countRegex(regex, texts[i]!) },
  { name: "toLowerCase, then a case-sensitive regex", run: (i) => countRegex(caseSensitive, texts[i]!.toLowerCase()) },
  { name: "toLowerCase, then 12 String indexOf passes", run: (i) => countIndexOf(texts[i]!.toLowerCase(), ERROR_KEYWORDS) },
  { name: "toLowerCase, to bytes, 12 Buffer indexOf passes", run: (i) => countIndexOf(Buffer.from(texts[i]!.toLowerCase(), "latin1"), keywordBytes) },
  {
    name: "ASCII lower-casing of the bytes, 12 Buffer indexOf passes",
    run: (i) => {
      const src = frames[i]!;
      for (let j = 0; j < src.length; j++) {
        const c = src[j]!;
        lowered[j] = c >= 65 && c <= 90 ? c | 32 : c;
      }
      return countIndexOf(lowered.subarray(0, src.length), keywordBytes);
    },
  },
  { name: "floor: copying the bytes alone", floor: true, run: (i) => frames[i]!.copy(lowered) },
];

const hitsOf = (run: (i: number) => number) => texts.reduce((n, _, i) => n + run(i), 0);
const expected = hitsOf(ways[0]!.run);
const RUNS = Number(args.runs);
say(`keyword search: ${frames.length} frames of ${capture.dir}, ${(bytes / 2 ** 20).toFixed(1)} MiB of JSONL, ${expected.toLocaleString("en")} keyword hits`);
say(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Bun ${Bun.version}, load average ${loadavg()[0]!.toFixed(2)}; best and median of ${RUNS} runs`);
say();
say("| way | GB/s (best) | GB/s (median) | × the product (median) | hits |");
say("|---|---:|---:|---:|---:|");
let productMedian = 0;
for (const w of ways) {
  const hits = hitsOf(w.run);
  hitsOf(w.run);
  if (!w.floor && hits !== expected) throw new Error(`${w.name}: ${hits} hits, the product finds ${expected}`);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i++) w.run(i);
    rates.push(bytes / 1e6 / (performance.now() - t0));
  }
  rates.sort((a, b) => a - b);
  const median = rates[rates.length >> 1]!;
  if (productMedian === 0) productMedian = median;
  say(`| ${w.name} | ${rates.at(-1)!.toFixed(2)} | ${median.toFixed(2)} | ${(median / productMedian).toFixed(2)}× | ${w.floor ? "–" : hits.toLocaleString("en")} |`);
}
