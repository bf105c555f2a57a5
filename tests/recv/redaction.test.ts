import { describe, expect, test } from "bun:test";
import { writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { entriesViaZstdCli, linesViaZstdCli } from "../support/capture-files.ts";
import { lokiJson, lokiProtobuf, push } from "../support/loki-bodies.ts";
import { create, toBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../../src/protocols/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { readMetadata } from "../../src/capture/metadata.ts";

const PII = [
  "user alice@example.com paid with 4111 1111 1111 1111",
  "Authorization: Bearer abc.def-123",
  "from 10.1.2.3:8080 ssn 123-45-6789 call (555) 123-4567",
  "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature",
  "ts=1700000000004 trace_id=abcdef0123456789 plain line",
];

async function pushAll(url: string) {
  const body = lokiJson([{ labels: { app: "pii", owner: "bob@example.com" }, values: PII.map((m, i) => [`${1700000000000000000 + i}`, m] as [string, string]) }]);
  expect((await push(url, body, { "content-type": "application/json" })).status).toBe(204);
}

describe("recv --redact: PII never reaches disk", () => {
  test("bare --redact applies every built-in; labels untouched; metadata and metrics say so", async () => {
    const r = await startReceiver(["--redact"]);
    await pushAll(r.url);
    // Redaction runs before the push is answered and the counters are bumped then: no wait needed.
    const m = await r.metrics();
    expect((await r.stop()).code).toBe(0);
    const got = entriesViaZstdCli(r.dir);
    expect(got.map((e) => e.msg)).toEqual([
      "user [REDACTED:email] paid with [REDACTED:cc]",
      "[REDACTED:bearer]",
      "from [REDACTED:ip]:8080 ssn [REDACTED:ssn] call [REDACTED:phone]",
      "token [REDACTED:jwt]",
      "ts=1700000000004 trace_id=abcdef0123456789 plain line",
    ]);
    expect(got[0]!.labels).toEqual({ app: "pii", owner: "bob@example.com" });
    const raw = linesViaZstdCli(r.dir).join("\n");
    for (const secret of ["alice@", "4111", "abc.def-123", "10.1.2.3", "123-45-6789", "123-4567", "eyJhbGci"]) expect(raw).not.toContain(secret);
    expect(readMetadata(r.dir).redaction).toEqual({ enabled: true, patterns: ["credit_card", "email", "jwt", "bearer", "ip_v4", "ssn", "phone"] });
    for (const p of ["credit_card", "email", "jwt", "bearer", "ip_v4", "ssn", "phone"]) expect(m[`logtap_redactions_total{pattern="${p}"}`]).toBe(1);
  });

  test("--redact=email,jwt picks; --redact=false is off; custom YAML patterns apply after built-ins", async () => {
    const patterns = join(tempDir(), "patterns.yaml");
    writeFileSync(patterns, '- name: trace\n  pattern: "trace_id=([0-9a-f]{4})[0-9a-f]+"\n  replacement: "trace_id=$1…"\n');
    const picked = await startReceiver(["--redact=email,jwt", "--redact-patterns", patterns]);
    await pushAll(picked.url);
    await picked.stop();
    const msgs = entriesViaZstdCli(picked.dir).map((e) => e.msg);
    expect(msgs[0]).toBe("user [REDACTED:email] paid with 4111 1111 1111 1111");
    expect(msgs[3]).toBe("token [REDACTED:jwt]");
    expect(msgs[4]).toBe("ts=1700000000004 trace_id=abcd… plain line");
    expect(readMetadata(picked.dir).redaction!.patterns).toEqual(["email", "jwt", "trace"]);

    const off = await startReceiver(["--redact=false"]);
    await pushAll(off.url);
    await off.stop();
    expect(entriesViaZstdCli(off.dir).map((e) => e.msg)).toEqual(PII);
    expect(readMetadata(off.dir).redaction).toBeUndefined();
  });

  test("bad redaction settings are usage errors and write nothing", async () => {
    const dir = join(tempDir(), "capture");
    const bad = join(tempDir(), "bad.yaml");
    writeFileSync(bad, '- name: evil\n  pattern: "(a+)+$"\n  replacement: x\n');
    for (const args of [["--redact=email,iban"], ["--redact", "--redact-patterns", bad], ["--redact", "--redact-patterns", "/nonexistent.yaml"]]) {
      const r = await runCli(["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: args[2] === "/nonexistent.yaml" ? 3 : 2 });
      expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
      expect(existsSync(dir)).toBe(false);
    }
  });
});

describe("recv --redact: every endpoint goes through redaction", () => {
  test("Loki JSON and protobuf, legacy, raw NDJSON, OTLP JSON and protobuf: no secret reaches disk", async () => {
    const secret = "carol@example.com";
    const line = (via: string) => `${via}: mail ${secret} now`;
    const r = await startReceiver(["--redact"]);
    const ns = (i: number) => `${1700000000000000000 + i}`;
    const sent: [string, Promise<{ status: number }>][] = [
      ["loki-json", push(r.url, lokiJson([{ labels: { via: "json" }, values: [[ns(1), line("loki-json")]] }]), { "content-type": "application/json" })],
      ["loki-proto", push(r.url, lokiProtobuf([{ labels: { via: "proto" }, values: [[ns(2), line("loki-proto")]] }]), { "content-type": "application/x-protobuf" })],
      ["legacy", push(r.url, JSON.stringify({ streams: [{ labels: '{via="legacy"}', entries: [{ ts: "2023-11-14T22:13:23Z", line: line("legacy") }] }] }), { "content-type": "application/json" }, "/api/prom/push")],
      ["raw", push(r.url, JSON.stringify({ ts: "2023-11-14T22:13:24Z", labels: { via: "raw" }, msg: line("raw") }) + "\n", {}, "/logtap/raw")],
      ["otlp-json", push(r.url, JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "otlp" } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: ns(5), body: { stringValue: line("otlp-json") } }] }] }] }), { "content-type": "application/json" }, "/otlp/v1/logs")],
      ["otlp-proto", push(r.url, otlpProtobuf(ns(6), line("otlp-proto")), { "content-type": "application/x-protobuf" }, "/otlp/v1/logs")],
    ];
    for (const [via, res] of sent) expect({ via, status: (await res).status }).toEqual({ via, status: via.startsWith("otlp") ? 200 : 204 });
    const m = await r.metrics();
    await r.stop();
    const msgs = entriesViaZstdCli(r.dir).map((e) => e.msg).sort();
    expect(msgs).toEqual(sent.map(([via]) => `${via}: mail [REDACTED:email] now`).sort());
    expect(linesViaZstdCli(r.dir).join("\n")).not.toContain("carol@");
    expect(m['logtap_redactions_total{pattern="email"}']).toBe(sent.length);
  });
});

function otlpProtobuf(timeUnixNano: string, body: string): Uint8Array {
  return toBinary(
    ExportLogsServiceRequestSchema,
    create(ExportLogsServiceRequestSchema, {
      resourceLogs: [
        {
          resource: { attributes: [{ key: "service.name", value: { value: { case: "stringValue", value: "otlp" } } }] },
          scopeLogs: [{ logRecords: [{ timeUnixNano: BigInt(timeUnixNano), body: { value: { case: "stringValue", value: body } } }] }],
        },
      ],
    }),
  );
}

describe("recv into a directory that already holds a capture", () => {
  test("the earlier start, totals and label keys are kept; redaction is claimed only as far as every run applied it", async () => {
    const dir = join(tempDir(), "capture");
    const plain = await startReceiver([], { dir });
    await pushAll(plain.url);
    expect((await plain.stop()).code).toBe(0);
    const first = readMetadata(dir);
    expect(first.redaction).toBeUndefined();

    const redacted = await startReceiver(["--redact"], { dir });
    const body = lokiJson([{ labels: { app: "pii", zone: "b" }, values: [["1700000000100000000", "mail carol@example.com"]] }]);
    expect((await push(redacted.url, body, { "content-type": "application/json" })).status).toBe(204);
    const stopped = await redacted.stop();
    expect(stopped).toMatchObject({ code: 0 });
    const second = readMetadata(dir);
    // Upstream overwrote metadata.json: the older, unredacted lines would have been claimed redacted.
    expect(second.redaction).toBeUndefined();
    expect(second.started).toBe(first.started);
    expect(second.total_lines).toBe(PII.length + 1);
    expect(second.labels_seen).toEqual(["app", "owner", "zone"]);
    const msgs = entriesViaZstdCli(dir).map((e) => e.msg);
    expect(msgs).toContain(PII[0]!);
    expect(msgs).toContain("mail [REDACTED:email]");

    const both = join(tempDir(), "capture");
    for (const flags of [["--redact=email,jwt"], ["--redact=jwt,ssn"]]) {
      const r = await startReceiver(flags, { dir: both });
      await pushAll(r.url);
      expect((await r.stop()).code).toBe(0);
    }
    expect(readMetadata(both).redaction).toEqual({ enabled: true, patterns: ["jwt"] });
  });

  test("--dir naming a file is a usage error (exit 2), and the file is untouched", async () => {
    const file = join(tempDir(), "not-a-dir");
    writeFileSync(file, "keep me");
    const r = await runCli(["recv", "--headless", "--listen", "127.0.0.1:0", "--dir", file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([`error: --dir ${file} is not a directory`]);
    expect(await Bun.file(file).text()).toBe("keep me");
  });
});
