import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import snappy from "snappyjs";
import { PushRequestSchema } from "../../src/protocols/loki/gen/push_pb.ts";
import { cliTargets } from "../support/cli.ts";
import { startReceiver, type RunningReceiver } from "../support/receiver-process.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { push } from "../support/loki-bodies.ts";

const NS = 1_700_000_000_123_456_789n;

/** A snappy protobuf push whose streams carry these label strings verbatim, one entry each. */
function protobufWithLabelStrings(streams: Array<[labels: string, line: string]>): Uint8Array {
  const msg = create(PushRequestSchema, {
    streams: streams.map(([labels, line]) => ({
      labels,
      entries: [{ timestamp: { seconds: NS / 1_000_000_000n, nanos: Number(NS % 1_000_000_000n) }, line }],
    })),
  });
  return snappy.compress(toBinary(PushRequestSchema, msg));
}

function legacyWithLabelStrings(streams: Array<[labels: string, line: string]>): string {
  return JSON.stringify({ streams: streams.map(([labels, line]) => ({ labels, entries: [{ ts: "2023-11-14T22:13:20.123456789Z", line }] })) });
}

// Label strings as Loki's own push tests and Prometheus 3 clients write them, with what Loki stores for each.
const ACCEPTED: Array<[labels: string, line: string, expected: Record<string, string>]> = [
  ['{ "service.name"="api",   "environment"="prod" }', "loki push-test form", { environment: "prod", "service.name": "api" }],
  ['{"http.server.requests", "k8s.namespace.name"="shop", job="api"}', "quoted metric name", { __name__: "http.server.requests", job: "api", "k8s.namespace.name": "shop" }],
  ["# shipped by a script\n{app='web', \"k8s.pod.name\"=`web-1`,\n msg=\"say \\\"hi\\\"\\u00e9\", gone=\"\",} # end", "comments, quotes, escapes", { app: "web", "k8s.pod.name": "web-1", msg: 'say "hi"é' }],
  ['{"温度"="東京", "équipe"="ops"}', "UTF-8 names", { équipe: "ops", 温度: "東京" }],
  ['http_requests_total{job="api"}', "metric name before the braces", { __name__: "http_requests_total", job: "api" }],
];

describe.each(cliTargets().map((t) => [t.name, t] as const))("recv accepts the Prometheus 3 label-string syntax (%s)", (_n, target) => {
  let r: RunningReceiver;
  beforeAll(async () => {
    r = await startReceiver([], { target });
  });
  afterAll(async () => {
    await r.stop("SIGKILL").catch(() => {});
  });

  test("snappy protobuf on /loki/api/v1/push", async () => {
    const body = protobufWithLabelStrings(ACCEPTED.map(([labels, line]) => [labels, `proto: ${line}`]));
    const res = await push(r.url, body, { "content-type": "application/x-protobuf" });
    expect(res).toEqual({ status: 204, text: "" });
  });

  test("legacy JSON on /api/prom/push", async () => {
    const body = legacyWithLabelStrings(ACCEPTED.map(([labels, line]) => [labels, `legacy: ${line}`]));
    const res = await push(r.url, body, { "content-type": "application/json" }, "/api/prom/push");
    expect(res).toEqual({ status: 204, text: "" });
  });

  test("what Loki rejects is a 400 whose one line names the problem, and nothing of that push is written", async () => {
    const matcher = protobufWithLabelStrings([['{app="ok"}', "lost 1"], ['{"service.name"=~"api"}', "lost 2"]]);
    const res1 = await push(r.url, matcher, { "content-type": "application/x-protobuf" });
    expect(res1.status).toBe(400);
    expect(res1.text).toStartWith(`couldn't parse labels: matcher "=~" after label name "service.name"`);

    const unquoted = legacyWithLabelStrings([["{service.name=\"api\"}", "lost 3"]]);
    const res2 = await push(r.url, unquoted, { "content-type": "application/json" }, "/api/prom/push");
    expect(res2.status).toBe(400);
    expect(res2.text).toContain('label name "service.name" must be quoted');

    const duplicate = protobufWithLabelStrings([['{app="a", "app"="b"}', "lost 4"]]);
    const res3 = await push(r.url, duplicate, { "content-type": "application/x-protobuf" });
    expect(res3.status).toBe(400);
    expect(res3.text).toContain('duplicate label name "app"');

    for (const res of [res1, res2, res3]) expect(res.text.split("\n")).toEqual([expect.any(String), ""]);
  });

  test("the capture holds every accepted stream with its label keys exactly as given", async () => {
    const { code } = await r.stop("SIGTERM");
    expect(code).toBe(0);
    const entries = entriesViaZstdCli(r.dir);
    expect(entries.filter((e) => e.msg.startsWith("lost"))).toEqual([]);
    for (const prefix of ["proto", "legacy"]) {
      for (const [, line, expected] of ACCEPTED) {
        const found = entries.filter((e) => e.msg === `${prefix}: ${line}`);
        expect(found).toHaveLength(1);
        expect(found[0]!.labels).toEqual(expected);
        expect(Object.keys(found[0]!.labels!)).toEqual(Object.keys(expected).sort());
      }
    }
    expect(entries).toHaveLength(2 * ACCEPTED.length);
  });
});
