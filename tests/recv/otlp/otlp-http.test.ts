/**
 * `POST /otlp/v1/logs` at the byte level against the real `logtap recv`: both encodings and Content-Encodings,
 * OTLP/JSON's peculiarities (hex ids, int64 as strings or numbers), the timestamp fallbacks, `service_name`
 * discovery, partial success, malformed bodies (400, nothing written), unsupported media (415) and the reply bodies
 * decoded as the OTLP messages they claim to be.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { gzipSync } from "node:zlib";
import { StatusSchema } from "../../../src/protocols/otlp/gen/google/rpc/status_pb.ts";
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
} from "../../../src/protocols/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { AnyValueSchema } from "../../../src/protocols/otlp/gen/opentelemetry/proto/common/v1/common_pb.ts";
import { LogRecordSchema } from "../../../src/protocols/otlp/gen/opentelemetry/proto/logs/v1/logs_pb.ts";
import { cliTargets } from "../../support/cli.ts";
import { startReceiver, type RunningReceiver } from "../../support/receiver-process.ts";
import { fillQueue, SLOW_WRITER, waitForReady } from "../../support/full-queue.ts";
import { RECEIVED, byMsg, stopAndReadCapture } from "../clients/receiver-helpers.ts";

type RequestInit = MessageInitShape<typeof ExportLogsServiceRequestSchema>;

const PROTOBUF = { "content-type": "application/x-protobuf" };
const JSON_TYPE = { "content-type": "application/json" };

function str(value: string) {
  return { value: { case: "stringValue" as const, value } };
}

/** One resource, one scope, the given records. */
function request(resource: Record<string, string>, records: Array<MessageInitShape<typeof LogRecordSchema>>): Uint8Array {
  const init: RequestInit = {
    resourceLogs: [
      {
        resource: { attributes: Object.entries(resource).map(([key, v]) => ({ key, value: str(v) })) },
        scopeLogs: [{ scope: { name: "bytes" }, logRecords: records }],
      },
    ],
  };
  return toBinary(ExportLogsServiceRequestSchema, create(ExportLogsServiceRequestSchema, init));
}

function jsonRequest(resource: Record<string, string>, records: unknown[]): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: Object.entries(resource).map(([key, v]) => ({ key, value: { stringValue: v } })) },
        scopeLogs: [{ scope: { name: "bytes" }, logRecords: records }],
      },
    ],
  });
}

async function post(url: string, body: Uint8Array | string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/otlp/v1/logs`, { method: "POST", body: body as BodyInit, headers });
}

/** The 200 reply decoded as the ExportLogsServiceResponse its Content-Type says it is. */
async function exportReply(res: Response): Promise<{ rejected: number; message: string }> {
  expect(res.status).toBe(200);
  if (res.headers.get("content-type") === "application/x-protobuf") {
    const msg = fromBinary(ExportLogsServiceResponseSchema, new Uint8Array(await res.arrayBuffer()));
    return { rejected: Number(msg.partialSuccess?.rejectedLogRecords ?? 0n), message: msg.partialSuccess?.errorMessage ?? "" };
  }
  expect(res.headers.get("content-type")).toBe("application/json");
  const msg = (await res.json()) as { partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string } };
  return { rejected: Number(msg.partialSuccess?.rejectedLogRecords ?? 0), message: msg.partialSuccess?.errorMessage ?? "" };
}

/** An error reply decoded as the google.rpc.Status its Content-Type says it is. */
async function statusReply(res: Response): Promise<{ code: number; message: string }> {
  if (res.headers.get("content-type") === "application/x-protobuf") {
    const s = fromBinary(StatusSchema, new Uint8Array(await res.arrayBuffer()));
    return { code: s.code, message: s.message };
  }
  expect(res.headers.get("content-type")).toBe("application/json");
  return (await res.json()) as { code: number; message: string };
}

/** An AnyValue holding only field 8 (varint 5): a value kind added after this receiver's schema. */
function unknownKindBody() {
  const body = create(AnyValueSchema); // create() does not take $unknown from an init object
  body.$unknown = [{ no: 8, wireType: WireType.Varint, data: Uint8Array.of(5) }];
  return body;
}

const NS = 1700000000123456789n;
const TS = "2023-11-14T22:13:20.123456789Z";

for (const target of cliTargets()) {
  describe(`POST /otlp/v1/logs, byte level [${target.name}]`, () => {
    let rx: RunningReceiver;
    let stopped = false;
    const expected: Array<{ ts?: string; labels?: Record<string, string>; msg: string; meta?: Record<string, string> }> = [];
    let receiveFrom = 0;
    let receiveTo = 0;
    beforeAll(async () => {
      rx = await startReceiver([], { target });
    });
    afterAll(async () => {
      if (!stopped) await rx.stop("SIGKILL");
    });

    test("protobuf, no Content-Encoding: 200 with an empty ExportLogsServiceResponse", async () => {
      const body = request({ "service.name": "api" }, [{ timeUnixNano: NS, body: str("pb plain") }]);
      const res = await post(rx.url, body, PROTOBUF);
      expect(res.headers.get("content-type")).toBe("application/x-protobuf");
      const bytes = new Uint8Array(await res.clone().arrayBuffer());
      expect(bytes.length).toBe(0); // full success = the empty message
      expect(await exportReply(res)).toStrictEqual({ rejected: 0, message: "" });
      expected.push({ ts: TS, labels: { service_name: "api" }, msg: "pb plain", meta: { scope_name: "bytes" } });
    });

    test("protobuf and JSON with Content-Encoding gzip and zstd", async () => {
      for (const enc of ["gzip", "zstd"] as const) {
        const compress = (b: Uint8Array | string) => (enc === "gzip" ? gzipSync(b) : Bun.zstdCompressSync(b));
        const pb = request({ "service.name": "api" }, [{ timeUnixNano: NS, body: str(`pb ${enc}`) }]);
        expect(await exportReply(await post(rx.url, compress(pb), { ...PROTOBUF, "content-encoding": enc }))).toStrictEqual({ rejected: 0, message: "" });
        const json = jsonRequest({ "service.name": "api" }, [{ timeUnixNano: String(NS), body: { stringValue: `json ${enc}` } }]);
        const res = await post(rx.url, compress(json), { "content-type": "application/json; charset=utf-8", "content-encoding": enc });
        expect(await res.clone().text()).toBe("{}");
        expect(await exportReply(res)).toStrictEqual({ rejected: 0, message: "" });
        for (const msg of [`pb ${enc}`, `json ${enc}`]) expected.push({ ts: TS, labels: { service_name: "api" }, msg, meta: { scope_name: "bytes" } });
      }
    });

    test("OTLP/JSON: hex ids (any case), int64 as strings and as numbers beyond 2^53, enum names, snake_case keys", async () => {
      const text =
        '{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-api"}},' +
        '{"key":"process.pid","value":{"intValue":"4242"}}]},"scopeLogs":[{"scope":{"name":"bytes","version":"1"},"logRecords":[' +
        '{"timeUnixNano":"1700000000123456789","observedTimeUnixNano":1700000000987654321,"severityNumber":13,"severityText":"WARN",' +
        '"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","flags":1,' +
        '"body":{"stringValue":"json ids"},"attributes":[{"key":"big","value":{"intValue":9007199254740993}},' +
        '{"key":"bytes","value":{"bytesValue":"aGVsbG8="}},{"key":"nan","value":{"doubleValue":"NaN"}}]},' +
        '{"time_unix_nano":"1700000000123456789","severity_number":"SEVERITY_NUMBER_ERROR3","severity_text":"E",' +
        '"trace_id":"","body":{"int_value":"-7"},"unknownField":{"ignored":true}}' +
        "]}]}]}";
      expect(await exportReply(await post(rx.url, text, JSON_TYPE))).toStrictEqual({ rejected: 0, message: "" });
      const labels = { service_name: "json-api" };
      const shared = { process_pid: "4242", scope_name: "bytes", scope_version: "1" };
      expected.push(
        {
          ts: TS,
          labels,
          msg: "json ids",
          meta: {
            ...shared,
            big: "9007199254740993",
            bytes: "aGVsbG8=",
            flags: "1",
            nan: "json: unsupported value: NaN",
            observed_timestamp: "1700000000987654321",
            severity_number: "13",
            severity_text: "WARN",
            span_id: "eee19b7ec3c1b174",
            trace_id: "5b8efff798038103d269b633813fc60c",
          },
        },
        { ts: TS, labels, msg: "-7", meta: { ...shared, severity_number: "19", severity_text: "E" } },
      );
    });

    test("timestamp: time_unix_nano, else observed_time_unix_nano, else the receive time", async () => {
      const pb = request({ "service.name": "api" }, [
        { observedTimeUnixNano: 1700000005000000001n, body: str("observed only") },
        { body: str("no time (pb)") },
      ]);
      receiveFrom = Date.now();
      expect((await exportReply(await post(rx.url, pb, PROTOBUF))).rejected).toBe(0);
      const json = jsonRequest({ "service.name": "api" }, [
        { timeUnixNano: "0", observedTimeUnixNano: "1700000005000000001", body: { stringValue: "observed only (json)" } },
        { body: { stringValue: "no time (json)" } },
      ]);
      expect((await exportReply(await post(rx.url, json, JSON_TYPE))).rejected).toBe(0);
      receiveTo = Date.now();
      const labels = { service_name: "api" };
      // No observed_timestamp in meta when it already is the entry's timestamp.
      expected.push(
        { ts: "2023-11-14T22:13:25.000000001Z", labels, msg: "observed only", meta: { scope_name: "bytes" } },
        { ts: "2023-11-14T22:13:25.000000001Z", labels, msg: "observed only (json)", meta: { scope_name: "bytes" } },
        { labels, msg: "no time (pb)", meta: { scope_name: "bytes" } },
        { labels, msg: "no time (json)", meta: { scope_name: "bytes" } },
      );
    });

    test("service_name: unknown_service without service.name, discovered from k8s.container.name, empty service.name = absent", async () => {
      const cases: Array<[Record<string, string>, Record<string, string>, string]> = [
        [{ "k8s.namespace.name": "ns", "host.name": "h1" }, { k8s_namespace_name: "ns", service_name: "unknown_service" }, "no service.name"],
        [{ "k8s.container.name": "web", "k8s.pod.name": "web-1" }, { k8s_container_name: "web", k8s_pod_name: "web-1", service_name: "web" }, "discovered"],
        [{ "service.name": "", "k8s.job.name": "backup" }, { k8s_job_name: "backup", service_name: "backup" }, "empty service.name"],
      ];
      for (const [resource, labels, msg] of cases) {
        expect((await exportReply(await post(rx.url, request(resource, [{ timeUnixNano: NS, body: str(msg) }]), PROTOBUF))).rejected).toBe(0);
        expected.push({ ts: TS, labels, msg, meta: resource["host.name"] ? { host_name: "h1", scope_name: "bytes" } : { scope_name: "bytes" } });
      }
    });

    test("partial success: records with an invalid body type are rejected and counted, the others written (JSON)", async () => {
      const json = jsonRequest({ "service.name": "api" }, [
        { timeUnixNano: String(NS), body: "a bare string is not an AnyValue" },
        { timeUnixNano: String(NS), body: { stringValue: "kept (json)" } },
        { timeUnixNano: String(NS), body: { futureValue: { x: 1 } } },
        { timeUnixNano: String(NS), traceId: "not hex", body: { stringValue: "bad trace id" } },
      ]);
      const reply = await exportReply(await post(rx.url, json, JSON_TYPE));
      expect(reply.rejected).toBe(3);
      expect(reply.message).toBe(
        '3 log records rejected; first: resourceLogs[0].scopeLogs[0].logRecords[0]: body: must be an AnyValue object, got "a bare string is not an AnyValue"',
      );
      expected.push({ ts: TS, labels: { service_name: "api" }, msg: "kept (json)", meta: { scope_name: "bytes" } });
    });

    test("partial success (protobuf): a body of an unknown AnyValue kind, a trace_id of the wrong length", async () => {
      const body = request({ "service.name": "api" }, [
        { timeUnixNano: NS, body: unknownKindBody() },
        { timeUnixNano: NS, traceId: Uint8Array.of(1, 2, 3, 4, 5), body: str("short trace id") },
        { timeUnixNano: NS, body: str("kept (pb)") },
      ]);
      const reply = await exportReply(await post(rx.url, body, PROTOBUF));
      expect(reply).toStrictEqual({
        rejected: 2,
        message:
          "2 log records rejected; first: resourceLogs[0].scopeLogs[0].logRecords[0]: unsupported body type (an AnyValue kind this receiver does not know)",
      });
      expected.push({ ts: TS, labels: { service_name: "api" }, msg: "kept (pb)", meta: { scope_name: "bytes" } });
    });

    test("malformed protobuf and JSON: 400 with a google.rpc.Status in the request's encoding, nothing written", async () => {
      const before = (await rx.metrics())[RECEIVED];
      const good = request({ "service.name": "api" }, [{ timeUnixNano: NS, body: str("never written") }]);
      const truncated = good.slice(0, good.length - 3);
      let res = await post(rx.url, truncated, PROTOBUF);
      expect(res.status).toBe(400);
      let status = await statusReply(res);
      expect(status.code).toBe(3); // INVALID_ARGUMENT
      expect(status.message).toStartWith("invalid protobuf: ");

      res = await post(rx.url, Uint8Array.of(0x0f, 0x01), PROTOBUF); // field 1 with wire type 7
      expect(res.status).toBe(400);
      expect((await statusReply(res)).message).toStartWith("invalid protobuf: ");

      res = await post(rx.url, '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"never written"}}]}]}', JSON_TYPE);
      expect(res.status).toBe(400);
      status = await statusReply(res);
      expect(status).toStrictEqual({ code: 3, message: expect.stringMatching(/^invalid JSON: /) });

      res = await post(rx.url, '{"resourceLogs":{"scopeLogs":[]}}', JSON_TYPE);
      expect(res.status).toBe(400);
      expect((await statusReply(res)).message).toBe("invalid OTLP JSON: resourceLogs: must be an array");

      // A malformed resource concerns all its records: the whole request is refused, not just some records.
      res = await post(rx.url, jsonRequest({}, [{ body: { stringValue: "never written" } }]).replace('"resource":{"attributes":[]}', '"resource":{"attributes":[{"key":"a","value":7}]}'), JSON_TYPE);
      expect(res.status).toBe(400);
      expect((await statusReply(res)).message).toBe('invalid OTLP JSON: resourceLogs[0].resource: attributes[0].value: must be an AnyValue object, got 7');

      res = await post(rx.url, gzipSync(good).subarray(0, 20), { ...PROTOBUF, "content-encoding": "gzip" });
      expect(res.status).toBe(400);
      expect((await statusReply(res)).message).toStartWith("invalid gzip body");

      const m = await rx.metrics();
      expect(m[RECEIVED]).toBe(before);
      expect(m['logtap_push_rejected_total{status="400"}']).toBe(6);
    });

    test("unsupported Content-Type or Content-Encoding: 415; other methods: 405", async () => {
      const body = request({ "service.name": "api" }, [{ timeUnixNano: NS, body: str("never written") }]);
      for (const headers of [{}, { "content-type": "text/plain" }, { "content-type": "application/protobuf" }] as Array<Record<string, string>>) {
        const res = await post(rx.url, body, headers);
        expect(res.status).toBe(415);
        expect(res.headers.get("content-type")).toStartWith("text/plain");
        expect(await res.text()).toContain("not supported (use application/x-protobuf or application/json)");
      }
      for (const enc of ["snappy", "br"]) {
        const res = await post(rx.url, body, { ...PROTOBUF, "content-encoding": enc });
        expect(res.status).toBe(415);
        expect((await statusReply(res)).message).toContain(`"${enc}" not supported`);
      }
      expect((await fetch(`${rx.url}/otlp/v1/logs`)).status).toBe(405);
    });

    test("the capture holds exactly the accepted records", async () => {
      const { code, entries } = await stopAndReadCapture(rx);
      stopped = true;
      expect(code).toBe(0);
      const got: Array<(typeof expected)[number]> = entries.slice().sort(byMsg);
      for (const e of got) {
        if (!e.msg.startsWith("no time")) continue;
        const ms = Date.parse(e.ts!);
        expect(ms).toBeGreaterThanOrEqual(receiveFrom - 1);
        expect(ms).toBeLessThanOrEqual(receiveTo + 1);
        delete (e as { ts?: string }).ts;
      }
      expect(got).toStrictEqual(expected.slice().sort((a, b) => (a.msg < b.msg ? -1 : a.msg > b.msg ? 1 : 0)));
    });
  });
}

for (const target of cliTargets()) {
    describe(`a full queue and the body limit [${target.name}]`, () => {
    const five = () => request({ "service.name": "api" }, ["a", "b", "c", "d", "e"].map((m) => ({ timeUnixNano: NS, body: str(m) })));

    // A request larger than --buffer is taken whole by an empty queue (tests/recv/oversize-push.test.ts): these run
    // against a queue made genuinely full by a slow writer.
    test("--on-overload drop: a request larger than --buffer is taken whole by the empty queue; what a full or partly full one can't take is dropped and reported as rejected (partial success); --max-body → 413 Status", async () => {
      const rx = await startReceiver(["--buffer", "2", "--max-body", "64KB", ...SLOW_WRITER], { target });
      try {
        expect(await exportReply(await post(rx.url, five(), PROTOBUF))).toStrictEqual({ rejected: 0, message: "" });
        await fillQueue(rx);
        const reply = await exportReply(await post(rx.url, five(), PROTOBUF));
        expect(reply).toStrictEqual({ rejected: 5, message: "5 log records dropped: receiver queue full" });
        // Drained into the busy stages, the queue takes one record, then two of five.
        await waitForReady(rx, 200);
        expect(await exportReply(await post(rx.url, request({ "service.name": "api" }, [{ timeUnixNano: NS, body: str("one") }]), PROTOBUF))).toStrictEqual({ rejected: 0, message: "" });
        const partial = await exportReply(await post(rx.url, five(), PROTOBUF));
        expect(partial).toStrictEqual({ rejected: 4, message: "4 log records dropped: receiver queue full" });
        expect((await rx.metrics()).logtap_logs_dropped_total).toBe(9);

        const big = request({ "service.name": "api" }, [{ timeUnixNano: NS, body: str("x".repeat(100_000)) }]);
        const res = await post(rx.url, big, PROTOBUF);
        expect(res.status).toBe(413);
        expect(await statusReply(res)).toStrictEqual({ code: 8, message: expect.stringContaining("too large") });
      } finally {
        await rx.stop("SIGKILL");
      }
    }, 30_000);

    test("--on-overload 429: a request larger than --buffer is taken whole by the empty queue; one a full queue can't take is refused whole with Retry-After and a RESOURCE_EXHAUSTED Status", async () => {
      const rx = await startReceiver(["--buffer", "2", "--on-overload", "429", ...SLOW_WRITER], { target });
      try {
        expect(await exportReply(await post(rx.url, five(), PROTOBUF))).toStrictEqual({ rejected: 0, message: "" });
        await fillQueue(rx);
        const received = (await rx.metrics())[RECEIVED];
        const res = await post(rx.url, five(), PROTOBUF);
        expect(res.status).toBe(429);
        expect(res.headers.get("retry-after")).toBe("1");
        expect(await statusReply(res)).toStrictEqual({ code: 8, message: expect.stringContaining("ingest queue full") });
        const json = jsonRequest({ "service.name": "api" }, [1, 2, 3].map((n) => ({ body: { stringValue: `j${n}` } })));
        const jsonRes = await post(rx.url, json, JSON_TYPE);
        expect(jsonRes.status).toBe(429);
        expect(await statusReply(jsonRes)).toStrictEqual({ code: 8, message: expect.stringContaining("ingest queue full") });
        expect((await rx.metrics())[RECEIVED]).toBe(received);
      } finally {
        await rx.stop("SIGKILL");
      }
    }, 30_000);
  });
}
