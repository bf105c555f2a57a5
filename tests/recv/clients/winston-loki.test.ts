/**
 * The real `winston-loki` transport (protocols-and-peers.md §2) pushing to the real `logtap recv`.
 *
 * What the transport sends (node_modules/winston-loki index.js, src/batcher.js, src/proto/helpers.js):
 * - default: protobuf `logproto.PushRequest`, snappy block (native `snappy`), `Content-Type: application/x-protobuf`;
 *   labels string `{level="…",k="v",…}`; timestamp in ms as `{seconds, nanos}`; no structured metadata.
 * - `json: true`: v1 JSON with `["<ms>000000", line, {rest as strings}]` — the 3rd element is winston's metadata,
 *   which logtap keeps as `meta`.
 * - line = `${message} ${JSON.stringify(rest)}` where rest is the info object minus label/labels/timestamp/message
 *   (so it always holds `level`).
 * - `batching` (default on) sends every `interval` s; `close()` sends what is left and resolves after the response;
 *   with `batching: false` each log is its own request and `flush()` resolves once all responses are in.
 */

import { describe, expect, test } from "bun:test";
import winston from "winston";
import LokiTransport from "winston-loki";
import { cliTargets } from "../../support/cli.ts";
import { RECEIVED, byMsg, doneLines, rejectedPushes, sharedReceiver, waitForReceived } from "./receiver-helpers.ts";

/** Resolves once the transport has taken `n` log calls (it emits `logged` right after queueing each one). */
function loggedTimes(transport: LokiTransport, n: number, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => reject(new Error(`transport logged ${seen}/${n} entries within ${timeoutMs} ms`)), timeoutMs);
    transport.on("logged", () => {
      if (++seen === n) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** The batcher's chosen wire format: winston-loki silently falls back to JSON when native snappy is missing. */
function wireFormat(transport: LokiTransport): { json: boolean; contentType: string } {
  const batcher = (transport as unknown as { batcher: { options: { json?: boolean }; contentType: string } }).batcher;
  return { json: Boolean(batcher.options.json), contentType: batcher.contentType };
}

for (const target of cliTargets()) {
  describe(`winston-loki → logtap recv [${target.name}]`, () => {
    describe("default protobuf + snappy, batching, close() sends the batch", () => {
      const shared = sharedReceiver(target);

      test("three log calls arrive as one protobuf push when the transport closes", async () => {
        const errors: unknown[] = [];
        const transport = new LokiTransport({
          host: shared.rx.url,
          labels: { app: "checkout", env: "test" },
          batching: true,
          interval: 60, // longer than the test: only close() may send
          replaceTimestamp: false, // keep the timestamps given below
          gracefulShutdown: false, // no process exit hooks inside the test runner
          timeout: 5_000,
          onConnectionError: (err) => errors.push(err),
        });
        expect(wireFormat(transport)).toEqual({ json: false, contentType: "application/x-protobuf" });
        const logger = winston.createLogger({ level: "debug", transports: [transport] });
        const logged = loggedTimes(transport, 3);
        logger.info("order placed", { timestamp: "2023-11-14T22:13:20.123Z" });
        logger.warn("payment retry", { timestamp: 1700000000456, orderId: "o-17", attempt: 2, labels: { component: "payments" } });
        logger.debug("cache miss", { timestamp: "2023-11-14T22:13:21Z" });
        await logged;
        expect((await shared.rx.metrics())[RECEIVED]).toBe(0); // still batched

        await transport.close();
        const m = await waitForReceived(shared.rx, 3);
        expect(errors).toEqual([]);
        expect(m[RECEIVED]).toBe(3);
        expect(rejectedPushes(m)).toBe(0);
        logger.close();
      });

      test("the capture holds the lines with the transport's labels and millisecond timestamps", async () => {
        const { code, stderr, entries } = await shared.stopAndRead();
        expect(code).toBe(0);
        expect(doneLines(stderr)).toBe(3);
        expect(entries).toStrictEqual([
          { ts: "2023-11-14T22:13:20.123Z", labels: { app: "checkout", env: "test", level: "info" }, msg: 'order placed {"level":"info"}' },
          {
            ts: "2023-11-14T22:13:20.456Z",
            labels: { app: "checkout", component: "payments", env: "test", level: "warn" },
            msg: 'payment retry {"orderId":"o-17","attempt":2,"level":"warn"}',
          },
          { ts: "2023-11-14T22:13:21Z", labels: { app: "checkout", env: "test", level: "debug" }, msg: 'cache miss {"level":"debug"}' },
        ]);
      });
    });

    describe("json: true, no batching, flush() waits for the responses", () => {
      const shared = sharedReceiver(target);
      let sentFrom = 0;
      let sentTo = 0;

      test("each log call is its own JSON push with winston metadata as structured metadata", async () => {
        const errors: unknown[] = [];
        const transport = new LokiTransport({
          host: shared.rx.url,
          json: true,
          batching: false,
          labels: { app: "checkout" },
          headers: { "X-Scope-OrgID": "shop-tenant" },
          gracefulShutdown: false,
          timeout: 5_000,
          onConnectionError: (err) => errors.push(err),
          // replaceTimestamp defaults to true: the transport stamps Date.now() and ignores `timestamp`.
        });
        expect(wireFormat(transport)).toEqual({ json: true, contentType: "application/json" });
        const logger = winston.createLogger({ level: "info", transports: [transport] });
        const logged = loggedTimes(transport, 2);
        sentFrom = Date.now();
        logger.info("json one", { requestId: "r-1", timestamp: "2001-01-01T00:00:00Z" });
        logger.error("json two", { code: 500, detail: { retry: false } });
        await logged; // emitted after log() ran, i.e. after the transport stamped its timestamp
        sentTo = Date.now();
        await transport.flush();

        const m = await waitForReceived(shared.rx, 2);
        expect(errors).toEqual([]);
        expect(m[RECEIVED]).toBe(2);
        expect(rejectedPushes(m)).toBe(0);
        logger.close();
      });

      test("the capture holds both lines, their labels, metadata and the transport's own timestamps", async () => {
        const { code, entries } = await shared.stopAndRead();
        expect(code).toBe(0);
        // Two concurrent requests: arrival order is not defined.
        const sorted = entries.slice().sort(byMsg);
        for (const e of sorted) {
          const ms = Date.parse(e.ts);
          expect(e.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/); // whole milliseconds
          expect(ms).toBeGreaterThanOrEqual(sentFrom);
          expect(ms).toBeLessThanOrEqual(sentTo);
        }
        expect(sorted.map(({ ts: _ts, ...rest }) => rest)).toStrictEqual([
          {
            labels: { app: "checkout", level: "info" },
            msg: 'json one {"requestId":"r-1","level":"info"}',
            meta: { level: "info", requestId: "r-1" },
          },
          {
            labels: { app: "checkout", level: "error" },
            msg: 'json two {"code":500,"detail":{"retry":false},"level":"error"}',
            meta: { code: "500", detail: '{"retry":false}', level: "error" },
          },
        ]);
      });
    });
  });
}
