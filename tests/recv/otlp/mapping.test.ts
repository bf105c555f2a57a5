/**
 * The OTLP → entry mapping in process (src/protocols/otlp): Loki's attribute naming, pdata's AnyValue-as-text, the
 * label/metadata split and its edge cases, and protobuf and OTLP/JSON giving the same entries for the same logs.
 */

import { describe, expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { anyValueToString, type AnyValueLike, type KeyValueLike } from "../../../src/protocols/otlp/any-value.ts";
import { decodeOtlpJson } from "../../../src/protocols/otlp/decode-json.ts";
import { decodeOtlpProtobuf } from "../../../src/protocols/otlp/decode-proto.ts";
import { ExportLogsServiceRequestSchema } from "../../../src/protocols/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { labelName } from "../../../src/protocols/otlp/label-name.ts";
import { PushDecodeError } from "../../../src/protocols/push-decode-error.ts";

const s = (value: string): AnyValueLike => ({ value: { case: "stringValue", value } });
const i = (value: bigint): AnyValueLike => ({ value: { case: "intValue", value } });
const d = (value: number): AnyValueLike => ({ value: { case: "doubleValue", value } });
const kv = (key: string, value?: AnyValueLike): KeyValueLike => ({ key, value });
const map = (...values: KeyValueLike[]): AnyValueLike => ({ value: { case: "kvlistValue", value: { values } } });
const arr = (...values: AnyValueLike[]): AnyValueLike => ({ value: { case: "arrayValue", value: { values } } });
const EMPTY: AnyValueLike = { value: { case: undefined } };

function json(body: unknown) {
  return decodeOtlpJson(new TextEncoder().encode(JSON.stringify(body)));
}

/** An OTLP/JSON request of one resource and one scope. */
function oneResource(resource: unknown[], records: unknown[], scope: unknown = { name: "s" }) {
  return json({ resourceLogs: [{ resource: { attributes: resource }, scopeLogs: [{ scope, logRecords: records }] }] });
}

const jsonAttr = (key: string, value: unknown) => ({ key, value });

describe("attribute keys → label names (Loki: Prometheus NormalizeLabel)", () => {
  test.each([
    ["service.name", "service_name"],
    ["k8s.pod.name", "k8s_pod_name"],
    ["http.request.header.x-request-id", "http_request_header_x_request_id"],
    ["already_valid_1", "already_valid_1"],
    ["1st.attempt", "key_1st_attempt"],
    ["_private", "key_private"],
    ["__reserved", "__reserved"],
    ["ünï.🙂", "key_n___"],
    ["", ""],
  ])("%p → %p", (key, name) => {
    expect(labelName(key)).toBe(name);
  });
});

describe("AnyValue as text (pdata Value.AsString)", () => {
  test.each([
    ["a string, as is", s("line\nwith <html> & \u2028"), "line\nwith <html> & \u2028"],
    ["true", { value: { case: "boolValue", value: true } } as AnyValueLike, "true"],
    ["int64 min", i(-9223372036854775808n), "-9223372036854775808"],
    ["a double with a fraction", d(0.1), "0.1"],
    ["a whole double", d(100), "100"],
    ["a large double: exponent from 1e21", d(1e21), "1e+21"],
    ["just below 1e21: no exponent", d(123456789012345680000), "123456789012345680000"],
    ["a small double: exponent below 1e-6", d(1.5e-7), "1.5e-7"],
    ["1e-6: no exponent", d(0.000001), "0.000001"],
    ["negative zero keeps its sign (Go)", d(-0), "-0"],
    ["NaN", d(Number.NaN), "json: unsupported value: NaN"],
    ["+Inf", d(Number.POSITIVE_INFINITY), "json: unsupported value: +Inf"],
    ["-Inf", d(Number.NEGATIVE_INFINITY), "json: unsupported value: -Inf"],
    ["bytes as standard base64", { value: { case: "bytesValue", value: Uint8Array.of(0xff, 0x00, 0xfe) } } as AnyValueLike, "/wD+"],
    ["empty", EMPTY, ""],
    ["undefined (no body)", undefined, ""],
    [
      "a map: compact JSON, keys sorted, last of a repeated key, no HTML escaping, U+2028 escaped",
      map(kv("z", s("<a&b>")), kv("a", arr(i(1n), d(2.5), EMPTY, { value: { case: "bytesValue", value: Uint8Array.of(1) } })), kv("m", s("x\u2028y")), kv("z", s("last"))),
      '{"a":[1,2.5,null,"AQ=="],"m":"x\\u2028y","z":"last"}',
    ],
    ["nested maps sorted too", map(kv("b", map(kv("y", s("1")), kv("x", map()))), kv("a", arr())), '{"a":[],"b":{"x":{},"y":"1"}}'],
    ["a NaN inside a map: Go's marshal fails, the text is empty", map(kv("n", d(Number.NaN))), ""],
    ["an array", arr(s('q"uote'), { value: { case: "boolValue", value: false } } as AnyValueLike, d(-0)), '["q\\"uote",false,-0]'],
  ])("%s", (_name, value, text) => {
    expect(anyValueToString(value)).toBe(text);
  });
});

describe("labels and structured metadata", () => {
  test("the default index attributes become labels, everything else meta; map attributes are flattened", () => {
    const { entries, rejected } = oneResource(
      [
        jsonAttr("service.name", { stringValue: "api" }),
        jsonAttr("service.instance.id", { intValue: "7" }),
        jsonAttr("deployment.environment", { stringValue: "prod" }),
        jsonAttr("deployment.environment.name", { stringValue: "production" }),
        jsonAttr("cloud.region", { stringValue: "eu-west-1" }),
        jsonAttr("k8s.pod.name", { stringValue: "" }),
        jsonAttr("k8s.pod.labels", { kvlistValue: { values: [jsonAttr("app", { stringValue: "web" }), jsonAttr("app.kubernetes.io/name", { stringValue: "web-x" })] } }),
        jsonAttr("telemetry.sdk.language", { stringValue: "nodejs" }),
      ],
      [{ timeUnixNano: "1", body: { stringValue: "x" }, droppedAttributesCount: 2, eventName: "ev" }],
      { name: "s", version: "v", attributes: [jsonAttr("scope.attr", { boolValue: true })], droppedAttributesCount: 1 },
    );
    expect(rejected).toBe(0);
    expect(entries).toStrictEqual([
      {
        sec: 0,
        nsec: 1,
        // An empty value (k8s.pod.name "") is no label.
        labels: {
          cloud_region: "eu-west-1",
          deployment_environment: "prod",
          deployment_environment_name: "production",
          service_instance_id: "7",
          service_name: "api",
        },
        msg: "x",
        meta: {
          dropped_attributes_count: "2",
          event_name: "ev",
          k8s_pod_labels_app: "web",
          k8s_pod_labels_app_kubernetes_io_name: "web-x",
          scope_attr: "true",
          scope_dropped_attributes_count: "1",
          scope_name: "s",
          scope_version: "v",
          telemetry_sdk_language: "nodejs",
        },
      },
    ]);
  });

  test("same name twice: the record's own attributes first, then its fields, then resource, then scope", () => {
    const { entries } = oneResource(
      [jsonAttr("service.name", { stringValue: "api" }), jsonAttr("flags", { stringValue: "from resource" }), jsonAttr("host", { stringValue: "from resource" })],
      [
        {
          timeUnixNano: "1",
          severityText: "INFO",
          flags: 1,
          attributes: [jsonAttr("severity_text", { stringValue: "from attribute" }), jsonAttr("scope_name", { stringValue: "from attribute" })],
        },
      ],
      { name: "scope", attributes: [jsonAttr("host", { stringValue: "from scope" })] },
    );
    expect(entries[0]!.meta).toStrictEqual({ flags: "1", host: "from resource", scope_name: "from attribute", severity_text: "from attribute" });
  });

  test("service_name discovery follows attribute order among container_name, k8s_container_name, k8s_job_name", () => {
    const labelsOf = (attrs: Array<[string, string]>) =>
      oneResource(attrs.map(([k, v]) => jsonAttr(k, { stringValue: v })), [{ body: { stringValue: "x" } }]).entries[0]!.labels;
    expect(labelsOf([["k8s.job.name", "job"], ["k8s.container.name", "ctr"]]).service_name).toBe("job");
    expect(labelsOf([["container.name", "docker-ctr"], ["k8s.job.name", "job"]]).service_name).toBe("docker-ctr");
    expect(labelsOf([["k8s.deployment.name", "dep"], ["app", "not an index attribute"]]).service_name).toBe("unknown_service");
    expect(labelsOf([["service.name", "named"], ["k8s.container.name", "ctr"]]).service_name).toBe("named");
  });

  test("entries of one resource share one labels object; all-zero ids are unset", () => {
    const { entries } = oneResource(
      [jsonAttr("service.name", { stringValue: "shared" })],
      [
        { body: { stringValue: "a" }, traceId: "00000000000000000000000000000000", spanId: "0000000000000000" },
        { body: { stringValue: "b" } },
      ],
    );
    expect(entries[0]!.labels).toBe(entries[1]!.labels);
    expect(entries[0]!.meta).toStrictEqual({ scope_name: "s" });
  });

  test("a record without any metadata has no meta", () => {
    const { entries } = json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: "5", body: { stringValue: "bare" } }] }] }] });
    expect(entries).toStrictEqual([{ sec: 0, nsec: 5, labels: { service_name: "unknown_service" }, msg: "bare" }]);
  });
});

describe("protobuf and OTLP/JSON decode to the same entries", () => {
  test("one request in both encodings", () => {
    const traceId = Uint8Array.from({ length: 16 }, (_, n) => n + 0xa0);
    const spanId = Uint8Array.from({ length: 8 }, (_, n) => n + 1);
    const pb = toBinary(
      ExportLogsServiceRequestSchema,
      create(ExportLogsServiceRequestSchema, {
        resourceLogs: [
          {
            resource: { attributes: [{ key: "service.name", value: { value: { case: "stringValue", value: "both" } } }] },
            scopeLogs: [
              {
                scope: { name: "sc", version: "1" },
                logRecords: [
                  {
                    timeUnixNano: 1700000000000000123n,
                    observedTimeUnixNano: 1700000000000000456n,
                    severityNumber: 17,
                    severityText: "ERROR",
                    body: { value: { case: "kvlistValue", value: { values: [{ key: "k", value: { value: { case: "intValue", value: 5n } } }] } } },
                    attributes: [{ key: "d", value: { value: { case: "doubleValue", value: 1.25 } } }],
                    flags: 257,
                    traceId,
                    spanId,
                    eventName: "e",
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const fromJson = json({
      resourceLogs: [
        {
          resource: { attributes: [jsonAttr("service.name", { stringValue: "both" })] },
          scopeLogs: [
            {
              scope: { name: "sc", version: "1" },
              logRecords: [
                {
                  timeUnixNano: "1700000000000000123",
                  observedTimeUnixNano: "1700000000000000456",
                  severityNumber: 17,
                  severityText: "ERROR",
                  body: { kvlistValue: { values: [jsonAttr("k", { intValue: 5 })] } },
                  attributes: [jsonAttr("d", { doubleValue: 1.25 })],
                  flags: 257,
                  traceId: Buffer.from(traceId).toString("hex"),
                  spanId: Buffer.from(spanId).toString("hex"),
                  eventName: "e",
                },
              ],
            },
          ],
        },
      ],
    });
    const fromPb = decodeOtlpProtobuf(pb);
    expect(fromPb).toStrictEqual(fromJson);
    expect(fromPb.entries[0]!.msg).toBe('{"k":5}');
    expect(fromPb.entries[0]!.meta).toMatchObject({ trace_id: "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", span_id: "0102030405060708", flags: "257" });
  });

  test("an empty request is fine in both", () => {
    expect(decodeOtlpProtobuf(new Uint8Array(0))).toStrictEqual({ entries: [], rejected: 0, errorMessage: "" });
    expect(json({})).toStrictEqual({ entries: [], rejected: 0, errorMessage: "" });
  });
});

describe("OTLP/JSON field errors: per record, or the whole request above the record", () => {
  test.each([
    [{ timeUnixNano: "-1" }, "timeUnixNano: -1 is out of range"],
    [{ timeUnixNano: "12:00" }, 'timeUnixNano: must be an integer or a string of digits, got "12:00"'],
    [{ timeUnixNano: "18446744073709551616" }, "timeUnixNano: 18446744073709551616 is out of range"],
    [{ timeUnixNano: 1.5 }, "timeUnixNano: must be an integer"],
    [{ severityNumber: "SEVERITY_NUMBER_LOUD" }, 'severityNumber: unknown value "SEVERITY_NUMBER_LOUD"'],
    [{ severityText: 3 }, "severityText: must be a string"],
    [{ traceId: "abc" }, "trace_id must be 16 bytes, got 3 hex digits"],
    [{ spanId: "0102" }, "span_id must be 8 bytes, got 4 hex digits"],
    [{ body: { boolValue: "yes" } }, "body.boolValue: must be true or false"],
    [{ body: { bytesValue: "not base64!" } }, "body.bytesValue: must be a base64 string"],
    [{ body: { arrayValue: [1] } }, 'body.arrayValue: must be {"values":[…]}'],
    [{ attributes: {} }, "attributes: must be an array"],
    [{ attributes: [{ key: "k", value: { intValue: "1e3" } }] }, 'attributes[0].value.intValue: must be an integer or a string of digits, got "1e3"'],
    ["not an object", "must be an object"],
  ])("%j → rejected: %s", (record, reason) => {
    const { entries, rejected, errorMessage } = json({ resourceLogs: [{ scopeLogs: [{ logRecords: [record, { body: { stringValue: "ok" } }] }] }] });
    expect(rejected).toBe(1);
    expect(errorMessage).toBe(`resourceLogs[0].scopeLogs[0].logRecords[0]: ${reason}`);
    expect(entries.map((e) => e.msg)).toStrictEqual(["ok"]);
  });

  test("an attribute of an unknown value kind reads as empty; a body of one rejects the record", () => {
    const { entries, rejected } = json({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: "ok" }, attributes: [jsonAttr("a", { newValue: 1 })] }, { body: { newValue: 1 } }] }] }],
    });
    expect(rejected).toBe(1);
    expect(entries[0]!.meta).toStrictEqual({ a: "" });
  });

  test.each([
    ["[]", "invalid OTLP JSON: request: must be an object"],
    ['{"resourceLogs":[1]}', "invalid OTLP JSON: resourceLogs[0]: must be an object"],
    ['{"resourceLogs":[{"scopeLogs":{}}]}', "invalid OTLP JSON: resourceLogs[0].scopeLogs: must be an array"],
    ['{"resourceLogs":[{"scopeLogs":[{"scope":{"name":1}}]}]}', "invalid OTLP JSON: resourceLogs[0].scopeLogs[0].scope: name: must be a string"],
    ['{"resourceLogs":[{"scopeLogs":[{"logRecords":"x"}]}]}', "invalid OTLP JSON: resourceLogs[0].scopeLogs[0].logRecords: must be an array"],
    ["{", "invalid JSON: "],
  ])("%s → 400: %s", (text, message) => {
    expect(() => decodeOtlpJson(new TextEncoder().encode(text))).toThrow(PushDecodeError);
    expect(() => decodeOtlpJson(new TextEncoder().encode(text))).toThrow(message);
  });
});
