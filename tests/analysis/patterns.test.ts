import { describe, expect, test } from "bun:test";
import { MaskedLine, maskMessage, skeletonOf } from "../../src/analysis/patterns/masks.ts";
import { HASH_START, hashChar } from "../../src/analysis/patterns/piece-table.ts";
import { PatternMiner } from "../../src/analysis/patterns/miner.ts";
import { MinedPatterns } from "../../src/analysis/patterns/finish.ts";
import { mergeTemplates } from "../../src/analysis/patterns/merge.ts";
import { patternId } from "../../src/analysis/patterns/pattern-id.ts";
import { normalizeSignature } from "../../src/analysis/signature/normalize-signature.ts";

function tokens(msg: string): string[] {
  const line = new MaskedLine();
  maskMessage(msg, line);
  return line.tokens.slice(0, line.length);
}

function mine(lines: string[], maxTemplates?: number): MinedPatterns {
  const m = new PatternMiner(maxTemplates);
  lines.forEach((l, i) => m.add(l, 1_700_000_000 + i, 0, i % 2 ? "api" : "web"));
  return new MinedPatterns(m);
}

const texts = (p: MinedPatterns) => p.patterns.map((x) => `${x.stats.count} ${x.text}`);

describe("masks", () => {
  test("upstream's six (UUID, timestamp, IP, 0x hex, duration, number) and the added ones", () => {
    expect(tokens("request id=a1b2c3d4-e5f6-7890-abcd-ef1234567890 failed")).toEqual(["request", "id=<UUID>", "failed"]);
    expect(tokens("logged at 2024-01-15T10:32:01.123456Z")).toEqual(["logged", "at", "<TS>"]);
    expect(tokens("connection refused to 10.0.1.42:8080")).toEqual(["connection", "refused", "to", "<IP>:<NUM>"]);
    expect(tokens("from 10.11.21.122,10.11.10.1 via db.prod.internal:5432")).toEqual(["from", "<IP>", "via", "<HOST>"]);
    // Near misses of the IP and host shapes (checked by hand before their regexes run) stay numbers and words.
    expect(tokens("rt=0.832 v=1.2.3 ip=1.2.3.4 quad=1.22.333.4444 four=1.2.3.")).toEqual(["rt=<NUM>", "v=<NUM>.<NUM>", "ip=<IP>", "quad=<NUM>.<NUM>", "four=<NUM>.<NUM>."]);
    expect(tokens("a.b:80 svc.ns.cluster.local:8443 db.prod.internal:x b.c.d:123456 x.y.z,1:2 api-1.eu.example:443,")).toEqual([
      "a.b:<NUM>", "<HOST>", "db.prod.internal:x", "b.c.d:<NUM>", "x.y.z,", "<NUM>:<NUM>", "<HOST>,",
    ]);
    expect(tokens("memory at 0x7ffeefbff4a0 corrupted, flags=0X1F")).toEqual(["memory", "at", "<HEX>", "corrupted,", "flags=<HEX>"]);
    expect(tokens("took 1.5s then 12ms then 250µs")).toEqual(["took", "<DUR>", "then", "<DUR>", "then", "<DUR>"]);
    expect(tokens("trace_id=123ae97146123ae97146 span=4bf92f3577b34da6")).toEqual(["trace_id=<ID>", "span=<ID>"]);
    expect(tokens("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0")).toEqual(["Authorization:", "Bearer", "<ID>.<ID>"]);
    expect(tokens('login by victor.moore13@mail.example.net, "user":"a+b@x.io"')).toEqual(["login", "by", "<EMAIL>,", '"user":"<EMAIL>"']);
  });

  test("only the first line counts: a stack trace is grouped by the error above it", () => {
    expect(tokens("\n  NullPointerException: name is null\n\tat a.B.c(B.java:12)\n\tat d.E.f(E.java:3)")).toEqual(["NullPointerException:", "name", "is", "null"]);
  });

  test("numbers in key=value, JSON values and paths; a sign goes with the number; a digit glued to a word stays", () => {
    expect(tokens("duration_ms=306 status=503 HTTP/1.1 blk_-42 blk_42 wl0")).toEqual(["duration_ms=<NUM>", "status=<NUM>", "HTTP/<NUM>", "blk_<NUM>", "blk_<NUM>", "wl0"]);
    expect(tokens('{"level":"error","n":3,"ratio":0.25}')).toEqual(['{"level":"error",', '"n":<NUM>,', '"ratio":<NUM>}']);
    expect(tokens("DFSClient_NONMAPREDUCE_1537864556_1 totalCalories=126775")).toEqual(["DFSClient_NONMAPREDUCE_<NUM>_<NUM>", "totalCalories=<NUM>"]);
  });

  test("placeholders already in the text stay masks (upstream's <N> is a <NUM>): a normalised message masks as the message", () => {
    const msg = "2024-01-15T10:32:01Z request a1b2c3d4-e5f6-7890-abcd-ef1234567890 to 10.0.1.42:8080 failed after 230ms (job 12345, try 3)";
    expect(tokens(normalizeSignature(msg))).toEqual(tokens(msg));
    expect(tokens(msg)).toEqual(["<TS>", "request", "<UUID>", "to", "<IP>:<NUM>", "failed", "after", "<DUR>", "(job", "<NUM>,", "try", "<NUM>)"]);
  });

  test("skeletons: digits and masks removed; a path is what precedes its first slash", () => {
    expect(["vis=<NUM>", "vis=<ID>", "wl0", "/var/log/a.log", "GET", "x=/a/b"].map(skeletonOf)).toEqual(["vis=", "vis=", "wl", "/…", "GET", "x=/…"]);
  });

  // The masker keeps the pieces it has made in a table keyed by a 32-bit hash (piece-table.ts); these two words
  // have the same hash, and so do any two pieces that start with them and end alike.
  const COLLIDING = ["soerjhrl", "pgfbprwc"] as const;

  test("pieces with the same hash stay apart: plain, masked and comma-split, and in the miner's memory of lines", () => {
    const hash = (s: string) => [...s].reduce((h, c) => hashChar(h, c.charCodeAt(0)), HASH_START);
    expect(hash(COLLIDING[0])).toBe(hash(COLLIDING[1]));
    for (let round = 0; round < 2; round++) {
      for (const w of COLLIDING) {
        expect(tokens(w)).toEqual([w]);
        expect(tokens(`${w}=12,${w}=3 x`)).toEqual([`${w}=<NUM>,`, `${w}=<NUM>`, "x"]);
      }
    }
    // Lines of one token each: equal line hashes, different words, so different templates.
    const m = new PatternMiner();
    const first = m.add(COLLIDING[0], 1, 0, "a");
    const second = m.add(COLLIDING[1], 2, 0, "a");
    expect(m.add(COLLIDING[0], 3, 0, "a")).toBe(first);
    expect(second).not.toBe(first);
    expect(second!.tokens).toEqual([COLLIDING[1]]);
  });

  test("the table of pieces is emptied when full, and masking gives the same tokens after it", () => {
    const line = '{"level":"info","ts":"2026-01-01T00:05:00.182Z","msg":"token validated","user":"peggy@mail.example.net","duration_ms":77}';
    const before = tokens(line);
    expect(before).toEqual(['{"level":"info",', '"ts":"<TS>",', '"msg":"token', 'validated",', '"user":"<EMAIL>",', '"duration_ms":<NUM>}']);
    // 140,000 new pieces pass the table's half-full mark (65,536 of 131,072 slots) at least once.
    for (let i = 0; i < 140_000; i++) maskMessage(`w${i.toString(36)}x k${i.toString(36)}y=1,z`, new MaskedLine());
    expect(tokens(line)).toEqual(before);
    expect(tokens("wa2x")).toEqual(["wa2x"]);
  });
});

describe("miner", () => {
  test("a varying id, number or word becomes part of one template; different messages stay apart", () => {
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) {
      lines.push(`payment failed trace_id=${(i * 2654435761).toString(16).padStart(8, "0")}abcdef duration_ms=${i * 7} user=${["ann", "bob", "cy"][i % 3]}`);
      lines.push(`cache warmed in ${i}ms`);
    }
    lines.push("shutting down");
    expect(texts(mine(lines))).toEqual(["50 cache warmed in <DUR>", "50 payment failed trace_id=<ID> duration_ms=<NUM> user=<*>", "1 shutting down"]);
  });

  test("same input, same order: same patterns and ids; ids are the hash of the text", () => {
    const lines = Array.from({ length: 300 }, (_, i) => `job ${i % 7} ${["started", "stopped", "failed"][i % 3]} on node-${i % 5} after ${i}ms`);
    const a = mine(lines);
    const b = mine(lines);
    expect(a.patterns.map((p) => [p.id, p.text, p.stats.count])).toEqual(b.patterns.map((p) => [p.id, p.text, p.stats.count]));
    for (const p of a.patterns) expect(p.id).toBe(patternId(p.text));
    expect(a.patterns[0]!.id).toMatch(/^[0-9a-f]{12}$/);
  });

  test("stats: count, first and last seen, services, the earliest line as example", () => {
    const m = new PatternMiner();
    m.add("user 1 logged in", 20, 0, "auth");
    m.add("user 2 logged in", 10, 5, "web");
    m.add("user 3 logged in", 30, 0, "auth");
    const [p] = new MinedPatterns(m).patterns;
    expect(p!.text).toBe("user <NUM> logged in");
    expect([p!.stats.count, p!.stats.firstSec, p!.stats.firstNsec, p!.stats.lastSec, p!.stats.example, p!.stats.services]).toEqual([3, 10, 5, 30, "user 2 logged in", ["auth", "web"]]);
  });

  test("the template cap: lines that would start another template are counted as ungrouped", () => {
    const p = mine(["alpha one", "beta two three", "gamma four five six", "alpha one", "delta"], 2);
    expect(texts(p)).toEqual(["2 alpha one", "1 beta two three"]);
    expect(p.ungrouped.count).toBe(2);
    expect(p.maxTemplates).toBe(2);
  });

  test("a word holding ≥ 98 % of a wildcard's lines is split off again; an even spread stays one pattern", () => {
    const lines = [...Array.from({ length: 99 }, (_, i) => `Session ${i} initialized by client WindowsUpdateAgent`), "Session 7 initialized by client SPP"];
    expect(texts(mine(lines))).toEqual(["99 Session <NUM> initialized by client WindowsUpdateAgent", "1 Session <NUM> initialized by client <*>"]);
    const users = Array.from({ length: 90 }, (_, i) => `session closed for user ${["cyrus", "news", "test"][i % 3]}`);
    expect(texts(mine(users))).toEqual(["90 session closed for user <*>"]);
  });

  test("assign places each line of a second, identical pass in its final pattern", () => {
    const lines = [...Array.from({ length: 99 }, (_, i) => `client ${i} opened through proxy with HTTPS`), "client 5 opened through proxy with SOCKS5", "disk full"];
    const done = mine(lines);
    const replay = new PatternMiner();
    const got = lines.map((l, i) => done.assign(replay.add(l, 1_700_000_000 + i, 0, "")!, replay.line.tokens).text);
    expect(got.slice(0, 2)).toEqual(["client <NUM> opened through proxy with HTTPS", "client <NUM> opened through proxy with HTTPS"]);
    expect(got.slice(99)).toEqual(["client <NUM> opened through proxy with <*>", "disk full"]);
    const counts = new Map<string, number>();
    for (const t of got) counts.set(t, (counts.get(t) ?? 0) + 1);
    expect(done.patterns.map((p) => [p.text, p.stats.count])).toEqual([...counts].sort((a, b) => b[1] - a[1]));
  });

  test("merging miners in order: counts add up, and the result depends only on the order of the parts", () => {
    const lines = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? `db timeout after ${i}ms on shard-${i % 3}` : `GET /items/${i} ${i % 2 ? 200 : 404} ${i}ms`));
    const merged = () => {
      const total = new PatternMiner();
      for (let part = 0; part < 4; part++) {
        const m = new PatternMiner();
        for (const [i, l] of lines.slice(part * 100, part * 100 + 100).entries()) m.add(l, part * 100 + i, 0, "svc");
        mergeTemplates(total, m.templates, m.ungrouped);
      }
      return new MinedPatterns(total);
    };
    const a = merged();
    expect(a.patterns.reduce((n, p) => n + p.stats.count, 0)).toBe(400);
    expect(texts(a)).toEqual(texts(merged()));
    expect(texts(a)).toEqual(texts(mine(lines)));
  });
});
