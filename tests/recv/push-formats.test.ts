import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gzipSync, deflateSync, deflateRawSync } from "node:zlib";
import { cliTargets } from "../support/cli.ts";
import { startReceiver, type RunningReceiver } from "../support/receiver-process.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { lokiJson, lokiProtobuf, push } from "../support/loki-bodies.ts";

const NS = "1700000000123456789";
const TS = "2023-11-14T22:13:20.123456789Z";

describe.each(cliTargets().map((t) => [t.name, t] as const))("recv accepts every push format (%s)", (_n, target) => {
  let r: RunningReceiver;
  const expected: Array<{ msg: string; labels?: Record<string, string>; meta?: Record<string, string> }> = [];
  beforeAll(async () => {
    r = await startReceiver([], { target });
  });
  afterAll(async () => {
    await r.stop("SIGKILL").catch(() => {});
  });

  const json = (msg: string) => lokiJson([{ labels: { app: "json" }, values: [[NS, msg]] }]);

  test("Loki JSON, 2 and 3 element values, structured metadata in both forms", async () => {
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
    expect((await push(r.url, body, { "content-type": "application/json" })).status).toBe(204);
    const labels = { app: "json", env: "prod" };
    expected.push(
      { msg: "two elements", labels },
      { msg: "flat metadata", labels, meta: { trace_id: "t1" } },
      { msg: "wrapped metadata", labels, meta: { trace_id: "t2" } },
      { msg: "empty third", labels },
    );
  });

  test("JSON with Content-Encoding gzip, deflate (zlib and raw) and zstd", async () => {
    const h = { "content-type": "application/json; charset=utf-8" };
    expect((await push(r.url, gzipSync(json("gzip")), { ...h, "content-encoding": "gzip" })).status).toBe(204);
    expect((await push(r.url, deflateSync(json("deflate zlib")), { ...h, "content-encoding": "deflate" })).status).toBe(204);
    expect((await push(r.url, deflateRawSync(json("deflate raw")), { ...h, "content-encoding": "deflate" })).status).toBe(204);
    expect((await push(r.url, Bun.zstdCompressSync(json("zstd")), { ...h, "content-encoding": "zstd" })).status).toBe(204);
    for (const msg of ["gzip", "deflate zlib", "deflate raw", "zstd"]) expected.push({ msg, labels: { app: "json" } });
  });

  test("protobuf + snappy: with Content-Type, without any Content-Type, with Content-Encoding: snappy, gzip'd", async () => {
    const pb = (msg: string, meta?: Record<string, string>) =>
      lokiProtobuf([{ labels: { app: "proto", pod: 'p"1' }, values: [meta ? [NS, msg, meta] : [NS, msg]] }]);
    expect((await push(r.url, pb("pb typed", { span: "s1" }), { "content-type": "application/x-protobuf" })).status).toBe(204);
    expect((await push(r.url, pb("pb untyped"))).status).toBe(204);
    expect((await push(r.url, pb("pb snappy header"), { "content-type": "application/x-protobuf", "content-encoding": "snappy" })).status).toBe(204);
    expect((await push(r.url, gzipSync(pb("pb gzip")), { "content-type": "application/x-protobuf", "content-encoding": "gzip" })).status).toBe(204);
    const labels = { app: "proto", pod: 'p"1' };
    expected.push(
      { msg: "pb typed", labels, meta: { span: "s1" } },
      { msg: "pb untyped", labels },
      { msg: "pb snappy header", labels },
      { msg: "pb gzip", labels },
    );
  });

  test("legacy /api/prom/push and /logtap/raw NDJSON", async () => {
    const legacy = JSON.stringify({ streams: [{ labels: '{app="legacy"}', entries: [{ ts: TS, line: "legacy line" }] }] });
    expect((await push(r.url, legacy, { "content-type": "application/json" }, "/api/prom/push")).status).toBe(204);
    const raw = `{"ts":"${TS}","labels":{"app":"raw"},"msg":"raw line 1"}\n{"ts":"${TS}","msg":"raw line 2"}\n`;
    expect((await push(r.url, raw, {}, "/logtap/raw")).status).toBe(204);
    expect((await push(r.url, "", {}, "/logtap/raw")).status).toBe(204);
    expected.push({ msg: "legacy line", labels: { app: "legacy" } }, { msg: "raw line 1", labels: { app: "raw" } }, { msg: "raw line 2" });
  });

  test("after SIGTERM the capture holds exactly what was acknowledged, in order, with exact nanosecond timestamps", async () => {
    const { code, stderr } = await r.stop("SIGTERM");
    expect(code).toBe(0);
    expect(stderr).toContain(`done: ${expected.length} lines`);
    const got = entriesViaZstdCli(r.dir);
    expect(got).toEqual(expected.map((e) => ({ ts: TS, ...e })));
  });
});
