/**
 * The real OpenTelemetry JS log exporters from npm pushing to the real `logtap recv` at `<url>/otlp/v1/logs`:
 * `@opentelemetry/exporter-logs-otlp-proto` (OTLP/HTTP protobuf) and `@opentelemetry/exporter-logs-otlp-http`
 * (OTLP/HTTP JSON), driven by `@opentelemetry/sdk-logs`' LoggerProvider, then the capture read back with the zstd
 * CLI. Both encodings of the same logs must give the same entries: Loki's OTLP mapping (docs/compatibility-otlp.md).
 *
 * What they send (first describe, a recording server): `POST` with `Content-Type: application/x-protobuf` resp.
 * `application/json`, `User-Agent: OTel-OTLP-Exporter-JavaScript/<version>`, a chunked body (no Content-Length), and
 * `Content-Encoding: gzip` only with `compression: "gzip"`.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ROOT_CONTEXT, TraceFlags, trace } from "@opentelemetry/api";
import { SeverityNumber, type Logger } from "@opentelemetry/api-logs";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from "@opentelemetry/sdk-logs";
import { cliTargets } from "../../support/cli.ts";
import { startReceiver, type RunningReceiver } from "../../support/receiver-process.ts";
import { RECEIVED, byMsg, rejectedPushes, stopAndReadCapture } from "../clients/receiver-helpers.ts";

type Encoding = "protobuf" | "json";

const RESOURCE = {
  "service.name": "checkout",
  "service.version": "1.4.2",
  "k8s.namespace.name": "shop",
  "k8s.pod.name": "checkout-7d9f-abcde",
  "k8s.container.name": "app",
  "k8s.deployment.name": "checkout",
  "host.name": "node-1",
};

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const SPAN_ID = "b7ad6b7169203331";

interface Exporting {
  provider: LoggerProvider;
  /** ExportResult codes the SDK got back (0 = SUCCESS). */
  results: number[];
}

/** A LoggerProvider exporting to `url` with the exporter for `encoding`; every export's result is recorded. */
function providerFor(encoding: Encoding, url: string, opts: { batch?: boolean; gzip?: boolean } = {}): Exporting {
  const config = { url, ...(opts.gzip ? { compression: "gzip" as never } : {}) };
  const exporter: LogRecordExporter = encoding === "protobuf" ? new ProtoLogExporter(config) : new JsonLogExporter(config);
  const results: number[] = [];
  const exportOnce = exporter.export.bind(exporter);
  exporter.export = (logs, done) =>
    exportOnce(logs, (result) => {
      results.push(result.code);
      done(result);
    });
  const processor = opts.batch ? new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000 }) : new SimpleLogRecordProcessor({ exporter });
  return { provider: new LoggerProvider({ resource: resourceFromAttributes(RESOURCE), processors: [processor] }), results };
}

/** The three records every run emits: a string body in a sampled span, a map body, an array body with no time. */
function emitRecords(logger: Logger, tag: string): void {
  const span = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
  logger.emit({
    timestamp: [1700000000, 123456789],
    observedTimestamp: [1700000001, 0],
    severityNumber: SeverityNumber.INFO,
    severityText: "info",
    body: `order placed (${tag})`,
    attributes: { "order.id": "o-1", "http.status_code": 201, "cache.hit": true, ratio: 0.25 },
    context: span,
  });
  logger.emit({
    timestamp: [1700000000, 500000000],
    observedTimestamp: [1700000000, 500000000],
    severityNumber: SeverityNumber.ERROR2,
    severityText: "ERROR",
    eventName: "order.failed",
    body: { tag, order: { id: "o-2", items: [1, 2.5, "x"] }, ok: false },
    attributes: { error: { type: "Timeout", "retry.count": 3 } },
  });
  logger.emit({ timestamp: [1700000002, 0], body: [tag, 42, null] as never });
}

/** The entries the three records become, per Loki's OTLP mapping. */
function expectedEntries(tag: string) {
  const labels = {
    k8s_container_name: "app",
    k8s_deployment_name: "checkout",
    k8s_namespace_name: "shop",
    k8s_pod_name: "checkout-7d9f-abcde",
    service_name: "checkout",
  };
  const shared = { host_name: "node-1", service_version: "1.4.2", scope_name: "shop.checkout", scope_version: "2.0.0" };
  return [
    {
      ts: "2023-11-14T22:13:20.5Z",
      labels,
      msg: `{"ok":false,"order":{"id":"o-2","items":[1,2.5,"x"]},"tag":"${tag}"}`,
      meta: {
        ...shared,
        error_retry_count: "3",
        error_type: "Timeout",
        event_name: "order.failed",
        observed_timestamp: "1700000000500000000",
        severity_number: "18",
        severity_text: "ERROR",
      },
    },
    {
      ts: "2023-11-14T22:13:20.123456789Z",
      labels,
      msg: `order placed (${tag})`,
      meta: {
        ...shared,
        cache_hit: "true",
        flags: "1",
        http_status_code: "201",
        observed_timestamp: "1700000001000000000",
        order_id: "o-1",
        ratio: "0.25",
        severity_number: "9",
        severity_text: "info",
        span_id: SPAN_ID,
        trace_id: TRACE_ID,
      },
    },
    { ts: "2023-11-14T22:13:22Z", labels, msg: `["${tag}",42,null]`, meta: expect.objectContaining({ ...shared }) },
  ].sort(byMsg);
}

describe("what each exporter sends (recording server)", () => {
  const seen: Array<{ method: string; path: string; headers: Record<string, string>; bytes: number }> = [];
  let server: ReturnType<typeof Bun.serve>;
  beforeAll(() => {
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        const body = await req.arrayBuffer();
        seen.push({ method: req.method, path: new URL(req.url).pathname, headers: Object.fromEntries(req.headers), bytes: body.byteLength });
        return new Response(null, { status: 200 });
      },
    });
  });
  afterAll(() => server.stop(true));

  for (const [encoding, type] of [["protobuf", "application/x-protobuf"], ["json", "application/json"]] as const) {
    for (const gzip of [false, true]) {
      test(`${encoding}${gzip ? " + gzip" : ""}: POST, Content-Type ${type}, exporter User-Agent`, async () => {
        seen.length = 0;
        const { provider, results } = providerFor(encoding, `http://127.0.0.1:${server.port}/otlp/v1/logs`, { gzip });
        emitRecords(provider.getLogger("shop.checkout", "2.0.0"), "headers");
        await provider.forceFlush();
        await provider.shutdown();
        expect(results.length).toBeGreaterThan(0);
        expect(results.every((c) => c === 0)).toBe(true);
        for (const r of seen) {
          expect(r.method).toBe("POST");
          expect(r.path).toBe("/otlp/v1/logs");
          expect(r.headers["content-type"]).toBe(type);
          expect(r.headers["user-agent"]).toMatch(/^OTel-OTLP-Exporter-JavaScript\/\d+\.\d+\.\d+$/);
          expect(r.headers["content-encoding"]).toBe(gzip ? "gzip" : (undefined as never));
          expect(r.bytes).toBeGreaterThan(0);
        }
      });
    }
  }
});

for (const target of cliTargets()) {
  describe(`OpenTelemetry JS exporters → logtap recv /otlp/v1/logs [${target.name}]`, () => {
    let rx: RunningReceiver;
    let stopped = false;
    beforeAll(async () => {
      rx = await startReceiver([], { target });
    });
    afterAll(async () => {
      if (!stopped) await rx.stop("SIGKILL");
    });

    const runs = [
      { tag: "proto-simple", encoding: "protobuf", batch: false, gzip: false },
      { tag: "proto-batch-gzip", encoding: "protobuf", batch: true, gzip: true },
      { tag: "json-simple", encoding: "json", batch: false, gzip: false },
      { tag: "json-batch-gzip", encoding: "json", batch: true, gzip: true },
    ] as const;

    for (const run of runs) {
      test(`${run.encoding} exporter, ${run.batch ? "BatchLogRecordProcessor" : "SimpleLogRecordProcessor"}${run.gzip ? ", gzip" : ""}: exports succeed`, async () => {
        const before = (await rx.metrics())[RECEIVED] ?? 0;
        const { provider, results } = providerFor(run.encoding, `${rx.url}/otlp/v1/logs`, run);
        emitRecords(provider.getLogger("shop.checkout", "2.0.0"), run.tag);
        await provider.forceFlush();
        await provider.shutdown();
        // One export of three records batched, three exports of one record each otherwise; all answered 200.
        expect(results).toStrictEqual(run.batch ? [0] : [0, 0, 0]);
        const m = await rx.metrics();
        expect(m[RECEIVED]).toBe(before + 3);
        expect(rejectedPushes(m)).toBe(0);
      });
    }

    test("the capture holds Loki's mapping: labels, line, structured metadata, timestamps — the same for both encodings", async () => {
      const { code, entries } = await stopAndReadCapture(rx);
      stopped = true;
      expect(code).toBe(0);
      expect(entries.length).toBe(runs.length * 3);
      for (const run of runs) {
        const mine = entries.filter((e) => e.msg.includes(run.tag)).sort(byMsg);
        expect(mine).toStrictEqual(expectedEntries(run.tag));
      }
      // The array-body record has no observed time of its own: the SDK sets it, so only its presence is fixed.
      for (const e of entries.filter((e) => e.msg.startsWith("["))) {
        expect(Object.keys(e.meta!).sort()).toStrictEqual(["host_name", "observed_timestamp", "scope_name", "scope_version", "service_version"]);
      }
    });
  });
}
