import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { cliTargets, runCli } from "../support/cli.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { EXPECTED, knownLines, type KnownLine } from "./patterns-fixtures.ts";

interface PatternJson {
  id: string;
  pattern: string;
  count: number;
  first_seen: string;
  last_seen: string;
  services: string[];
  example: string;
}

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z

/** The generator's lines through a real receiver, in four pushes of one stream per service, one second apart each. */
async function receiverCapture(lines: KnownLine[]): Promise<string> {
  const recv = await startReceiver();
  for (let part = 0; part < 4; part++) {
    const slice = lines.map((l, i) => ({ l, i })).filter(({ i }) => i % 4 === part);
    const services = [...new Set(slice.map(({ l }) => l.service))];
    const body = lokiJson(services.map((s) => ({ labels: { app: s }, values: slice.filter(({ l }) => l.service === s).map(({ l, i }): [string, string] => [String(BigInt(T0 + i) * 1_000_000_000n), l.msg]) })));
    expect((await push(recv.url, body, { "content-type": "application/json" })).status).toBe(204);
  }
  expect((await recv.stop()).code).toBe(0);
  return recv.dir;
}

describe.each(cliTargets().map((t) => [t.name, t] as const))("patterns and export --with-pattern (%s)", (_n, target) => {
  const lines = knownLines(2000);
  const byMsg = new Map(lines.map((l) => [l.msg, l]));
  const countOf = (template: string) => lines.filter((l) => l.template === template).length;
  let dir: string;
  let listed: PatternJson[];
  beforeAll(async () => {
    dir = await receiverCapture(lines);
    const r = await runCli(["patterns", dir, "--json", "--top", "0"], { target });
    expect(r.code).toBe(0);
    listed = JSON.parse(r.stdout).patterns;
  });

  test("--json: the generator's seven templates with their counts, times, services and an example of each", async () => {
    const r = await runCli(["patterns", dir, "--json", "--top", "0"], { target });
    expect(r.stderr).toBe("Patterns: 7 from 2,001 lines\n");
    const j = JSON.parse(r.stdout);
    expect([j.dir, j.lines, j.patterns_total]).toEqual([dir, 2001, 7]);
    expect(listed.map((p) => p.pattern).sort()).toEqual(Object.values(EXPECTED).sort());
    for (const p of listed) {
      const mine = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.template === p.pattern);
      expect(p.count).toBe(mine.length);
      expect(p.first_seen).toBe(new Date((T0 + mine[0]!.i) * 1000).toISOString().replace(".000", ""));
      expect(p.last_seen).toBe(new Date((T0 + mine.at(-1)!.i) * 1000).toISOString().replace(".000", ""));
      expect(p.services).toEqual([mine[0]!.l.service]);
      expect(p.example).toBe(mine[0]!.l.msg);
      expect(p.id).toMatch(/^[0-9a-f]{12}$/);
    }
    // Most frequent first; the one-off line last.
    expect(listed.map((p) => p.count)).toEqual([...listed.map((p) => p.count)].sort((a, b) => b - a));
    expect(listed.at(-1)).toMatchObject({ pattern: EXPECTED.disk, count: 1 });
  });

  test("text: count, share, id and template, then first/last seen and services, then an example; --top", async () => {
    const r = await runCli(["patterns", dir, "--top", "2"], { target });
    expect(r.code).toBe(0);
    const out = r.stdout.split("\n");
    expect(out[0]).toBe("COUNT  SHARE   ID            PATTERN");
    const [a, b] = listed;
    expect(out[1]).toBe(`${String(a!.count).padStart(5)}  ${((100 * a!.count) / 2001).toFixed(1).padStart(5)}%  ${a!.id}  ${a!.pattern}`);
    expect(out[2]).toBe(`${" ".repeat(29)}first ${a!.first_seen}  last ${a!.last_seen}  services ${a!.services.join(", ")}`);
    expect(out[3]).toBe(`${" ".repeat(29)}e.g. ${a!.example}`);
    expect(out[4]).toContain(`${b!.id}  ${b!.pattern}`);
    expect(out).toHaveLength(8);
  });

  test("the shared filters and --errors narrow what is mined", async () => {
    const db = JSON.parse((await runCli(["patterns", dir, "--json", "--label", "app=db"], { target })).stdout);
    expect(db.patterns.map((p: PatternJson) => [p.pattern, p.count])).toEqual([[EXPECTED.relation, countOf(EXPECTED.relation)], [EXPECTED.disk, 1]]);
    const errors = await runCli(["patterns", dir, "--json", "--errors"], { target });
    expect(errors.stderr).toBe(`Patterns: 1 from ${countOf(EXPECTED.relation)} error lines\n`);
    expect(JSON.parse(errors.stdout)).toMatchObject({ errors_only: true, patterns: [{ pattern: EXPECTED.relation, id: listed.find((p) => p.pattern === EXPECTED.relation)!.id }] });
    const grep = JSON.parse((await runCli(["patterns", dir, "--json", "--grep", "backoff"], { target })).stdout);
    expect(grep.patterns.map((p: PatternJson) => p.pattern)).toEqual([EXPECTED.retry]);
  });

  test("export --with-pattern: every row's pattern is its generator template, with the id patterns --json prints (JSONL, CSV, Parquet)", async () => {
    const idOf = new Map(listed.map((p) => [p.pattern, p.id]));
    const out = tempDir();
    const check = (rows: { msg: string; pattern: string | null; pattern_id: string | null }[]) => {
      expect(rows).toHaveLength(2001);
      for (const row of rows) {
        const want = byMsg.get(row.msg)!.template;
        expect([row.pattern, row.pattern_id]).toEqual([want, idOf.get(want)!]);
      }
    };
    for (const format of ["jsonl", "csv", "parquet"]) {
      const r = await runCli(["export", dir, "--with-pattern", "--format", format, "--out", join(out, `rows.${format}`)], { target });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("Exported: 2001 lines");
    }
    check(readFileSync(join(out, "rows.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)));
    const csv = readFileSync(join(out, "rows.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("ts,labels,msg,pattern,pattern_id");
    check(csv.slice(1).map(parseCsvRow).map(([, , msg, pattern, pattern_id]) => ({ msg: msg!, pattern: pattern!, pattern_id: pattern_id! })));
    const rows = (await parquetReadObjects({
      file: await asyncBufferFromFile(join(out, "rows.parquet")),
      columns: ["msg", "pattern", "pattern_id"],
      compressors: { ZSTD: (input: Uint8Array) => Bun.zstdDecompressSync(input) },
    })) as { msg: string; pattern: string; pattern_id: string }[];
    check(rows);
    // Without the flag the columns are not there.
    const plain = join(out, "plain.jsonl");
    expect((await runCli(["export", dir, "--format", "jsonl", "--out", plain], { target })).code).toBe(0);
    expect(readFileSync(plain, "utf8")).not.toContain('"pattern"');
  });

  test("the template cap: lines that would start a template past it are counted, said, and exported without a pattern", async () => {
    const r = await runCli(["patterns", dir, "--json", "--max-patterns", "2"], { target });
    const j = JSON.parse(r.stdout);
    expect(j.patterns).toHaveLength(2);
    const grouped = j.patterns.reduce((n: number, p: PatternJson) => n + p.count, 0);
    expect(j.ungrouped).toEqual({ lines: 2001 - grouped, max_patterns: 2 });
    expect(r.stderr).toContain(`Patterns capped at 2 templates (${(2001 - grouped).toLocaleString("en")} lines ungrouped; raise --max-patterns)\n`);
    const file = join(tempDir(), "capped.jsonl");
    expect((await runCli(["export", dir, "--with-pattern", "--max-patterns", "2", "--format", "jsonl", "--out", file], { target })).code).toBe(0);
    const rows = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.filter((x) => x.pattern === null && x.pattern_id === null)).toHaveLength(2001 - grouped);
    expect(new Set(rows.filter((x) => x.pattern !== null).map((x) => x.pattern_id))).toEqual(new Set(j.patterns.map((p: PatternJson) => p.id)));
  });

  test("usage: a bad --top or --max-patterns is exit 2; a directory that is no capture is exit 3", async () => {
    expect((await runCli(["patterns", dir, "--top", "x"], { target })).code).toBe(2);
    expect((await runCli(["patterns", dir, "--max-patterns", "1.5"], { target })).code).toBe(2);
    expect((await runCli(["patterns", tempDir()], { target })).code).toBe(3);
  });
});

/** One CSV record (Go's encoding/csv quoting) as fields. */
function parseCsvRow(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = "";
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          s += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else s += line[i++];
      }
      out.push(s);
      i++;
    } else {
      const comma = line.indexOf(",", i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}
