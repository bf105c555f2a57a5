import { describe, expect, test } from "bun:test";
import { gzipSync, deflateSync, deflateRawSync } from "node:zlib";
import { cliTargets, type CliTarget } from "../support/cli.ts";
import { startReceiver } from "../support/receiver-process.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { lokiJson, lokiProtobuf, push } from "../support/loki-bodies.ts";

const NS = "1700000000123456789";
const TS = "2023-11-14T22:13:20.123456789Z";

interface Expected {
  msg: string;
  labels?: Record<string, string>;
  meta?: Record<string, string>;
}

/** One push format: what to send (each push must be acknowledged with 204) and what the capture must then hold. */
interface FormatCase {
  name: string;
  send(url: string): Promise<void>;
  expected: Expected[];
}

const json = (msg: string) => lokiJson([{ labels: { app: "json" }, values: [[NS, msg]] }]);
const pb = (msg: string, meta?: Record<string, string>) => lokiProtobuf([{ labels: { app: "proto", pod: 'p"1' }, values: [meta ? [NS, msg, meta] : [NS, msg]] }]);
const accepted = async (p: Promise<{ status: number; text: string }>) => expect((await p).status).toBe(204);

const FORMATS: FormatCase[] = [
  {
    name: "Loki JSON, 2 and 3 element values, structured metadata in both forms",
    async send(url) {
      const body = JSON.stringify({
        streams: [
          {
            stream: { app: "json", env: "prod" },
            values: [
              [NS, "two elements"],
              [NS, "flat metadata", { trace_id: "t1" }],
              [NS, "wrapped metadata", { structuredMetadata: { trace_id: "t2" }, parsed: { x: "y" } }],
              [NS, "empty third", {}],
            ],
          },
        ],
      });
      await accepted(push(url, body, { "content-type": "application/json" }));
    },
    expected: [
      { msg: "two elements", labels: { app: "json", env: "prod" } },
      { msg: "flat metadata", labels: { app: "json", env: "prod" }, meta: { trace_id: "t1" } },
      { msg: "wrapped metadata", labels: { app: "json", env: "prod" }, meta: { trace_id: "t2" } },
      { msg: "empty third", labels: { app: "json", env: "prod" } },
    ],
  },
  {
    name: "JSON with Content-Encoding gzip, deflate (zlib and raw) and zstd",
    async send(url) {
      const h = { "content-type": "application/json; charset=utf-8" };
      await accepted(push(url, gzipSync(json("gzip")), { ...h, "content-encoding": "gzip" }));
      await accepted(push(url, deflateSync(json("deflate zlib")), { ...h, "content-encoding": "deflate" }));
      await accepted(push(url, deflateRawSync(json("deflate raw")), { ...h, "content-encoding": "deflate" }));
      await accepted(push(url, Bun.zstdCompressSync(json("zstd")), { ...h, "content-encoding": "zstd" }));
    },
    expected: ["gzip", "deflate zlib", "deflate raw", "zstd"].map((msg) => ({ msg, labels: { app: "json" } })),
  },
  {
    name: "protobuf + snappy: with Content-Type, without any Content-Type, with Content-Encoding: snappy, gzip'd",
    async send(url) {
      await accepted(push(url, pb("pb typed", { span: "s1" }), { "content-type": "application/x-protobuf" }));
      await accepted(push(url, pb("pb untyped")));
      await accepted(push(url, pb("pb snappy header"), { "content-type": "application/x-protobuf", "content-encoding": "snappy" }));
      await accepted(push(url, gzipSync(pb("pb gzip")), { "content-type": "application/x-protobuf", "content-encoding": "gzip" }));
    },
    expected: [
      { msg: "pb typed", labels: { app: "proto", pod: 'p"1' }, meta: { span: "s1" } },
      { msg: "pb untyped", labels: { app: "proto", pod: 'p"1' } },
      { msg: "pb snappy header", labels: { app: "proto", pod: 'p"1' } },
      { msg: "pb gzip", labels: { app: "proto", pod: 'p"1' } },
    ],
  },
  {
    name: "legacy /api/prom/push and /logtap/raw NDJSON",
    async send(url) {
      const legacy = JSON.stringify({ streams: [{ labels: '{app="legacy"}', entries: [{ ts: TS, line: "legacy line" }] }] });
      await accepted(push(url, legacy, { "content-type": "application/json" }, "/api/prom/push"));
      const raw = `{"ts":"${TS}","labels":{"app":"raw"},"msg":"raw line 1"}\n{"ts":"${TS}","msg":"raw line 2"}\n`;
      await accepted(push(url, raw, {}, "/logtap/raw"));
      await accepted(push(url, "", {}, "/logtap/raw"));
    },
    expected: [{ msg: "legacy line", labels: { app: "legacy" } }, { msg: "raw line 1", labels: { app: "raw" } }, { msg: "raw line 2" }],
  },
];

/** A receiver of its own, the pushes, a SIGTERM, then the capture read back by the zstd CLI. */
async function capture(target: CliTarget, send: (url: string) => Promise<void>, lines: number) {
  const r = await startReceiver([], { target });
  try {
    await send(r.url);
  } finally {
    const { code, stderr } = await r.stop("SIGTERM");
    expect(code).toBe(0);
    expect(stderr).toContain(`done: ${lines} lines`);
  }
  return entriesViaZstdCli(r.dir);
}

// Each test reads back its own entries: run alone (`-t`), it still proves what its name says.
describe.each(cliTargets().map((t) => [t.name, t] as const))("recv accepts every push format (%s)", (_n, target) => {
  for (const f of FORMATS) {
    test(f.name, async () => {
      expect(await capture(target, f.send, f.expected.length)).toEqual(f.expected.map((e) => ({ ts: TS, ...e })));
    });
  }

  test("after SIGTERM the capture holds exactly what was acknowledged, in order, with exact nanosecond timestamps", async () => {
    const all = FORMATS.flatMap((f) => f.expected);
    const got = await capture(target, async (url) => {
      for (const f of FORMATS) await f.send(url);
    }, all.length);
    expect(got).toEqual(all.map((e) => ({ ts: TS, ...e })));
  });
});
