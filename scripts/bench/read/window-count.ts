/**
 * Independent check of a time-narrowed search: reads capture JSONL lines on stdin (e.g. `zstd -dc DIR/*.zst |
 * grep -F PATTERN`) and prints how many have `ts` within [FROM, TO] (both inclusive, as logtap's --from/--to).
 * Deliberately does not use logtap's own timestamp code.
 *
 * Run: zstd -dc DIR/*.zst | grep -F 'deadline exceeded' | bun scripts/bench/read/window-count.ts FROM TO
 */

/** RFC3339 (any offset, 0–9 fraction digits) → [seconds, nanoseconds]. */
export function parseTs(s: string): [number, number] {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) throw new Error(`bad timestamp ${s}`);
  const sec = Date.parse(m[1]! + (m[3] === "Z" ? "Z" : m[3])) / 1000;
  return [sec, Number((m[2] ?? "").padEnd(9, "0"))];
}

function cmp(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

if (import.meta.main) {
  const [fromText, toText] = process.argv.slice(2);
  if (!fromText || !toText) {
    console.error("usage: window-count.ts FROM TO < lines");
    process.exit(2);
  }
  const from = parseTs(fromText);
  const to = parseTs(toText);
  let n = 0;
  let rest = "";
  const dec = new TextDecoder();
  const take = (line: string) => {
    if (line === "") return;
    const t = parseTs((JSON.parse(line) as { ts: string }).ts);
    if (cmp(t, from) >= 0 && cmp(t, to) <= 0) n++;
  };
  for await (const chunk of Bun.stdin.stream()) {
    const text = rest + dec.decode(chunk, { stream: true });
    const lines = text.split("\n");
    rest = lines.pop()!;
    for (const l of lines) take(l);
  }
  take(rest);
  console.log(n);
}
