/**
 * The real `pino-loki` v3 (protocols-and-peers.md §2) pushing to the real `logtap recv`.
 *
 * pino-loki's `pinoLoki(options)` returns the transport stream itself (pino-abstract-transport), so pino writes into
 * it on this thread — no worker. (`pino.transport({ target: "pino-loki" })` runs it in a worker via thread-stream,
 * whose synchronous flush times out under Bun 1.4: "_flushSync took too long (10s)".)
 *
 * What it sends (node_modules/pino-loki dist/index.mjs — LogBuilder, LogPusher): JSON only, `fetch` with
 * `Content-Type: application/json`, **one stream per log**: labels = `level` (pino level mapped to
 * info/warning/error/…), `hostname` (taken out of the line), `options.labels`, and `propsToLabels`; the line is the
 * pino record as JSON without `hostname` (or `logFormat` applied); ts = pino's ms `time` × 10⁶ as a string, or
 * Date.now() with `replaceTimestamp`; `log.meta` (structuredMetaKey) becomes the 3rd element with string values.
 * Batching (default on) sends every `interval` s and sends the rest when the stream closes; without batching each
 * log is pushed at once and nothing can be awaited, so the test polls /metrics.
 */

import { describe, expect, spyOn, test } from "bun:test";
import { once } from "node:events";
import pino from "pino";
import { pinoLoki } from "pino-loki";
import { cliTargets } from "../../support/cli.ts";
import { RECEIVED, byMsg, doneLines, rejectedPushes, sharedReceiver, waitForReceived } from "./receiver-helpers.ts";

for (const target of cliTargets()) {
  describe(`pino-loki → logtap recv [${target.name}]`, () => {
    describe("batching; ending the stream sends the batch", () => {
      const shared = sharedReceiver(target);

      test("three pino records arrive in one JSON push when the stream closes", async () => {
        const consoleError = spyOn(console, "error"); // pino-loki reports failed pushes there
        try {
          const stream = pinoLoki({
            host: shared.rx.url,
            labels: { app: "api", env: "test" },
            batching: { interval: 60 }, // longer than the test: only closing may send
            propsToLabels: ["component"],
          });
          let time = 0;
          const logger = pino({ level: "debug", base: { pid: 4242, hostname: "test-host" }, timestamp: () => `,"time":${time++}` }, stream);
          time = 1700000000123; // pino may call timestamp() while constructing; start counting from the first record
          logger.info("server listening");
          logger.warn({ component: "db", meta: { trace_id: "abc", attempt: 2 } }, "slow query");
          logger.debug({ user: { id: 7, tags: ["a", "b"] } }, "user loaded");
          expect((await shared.rx.metrics())[RECEIVED]).toBe(0); // still batched

          stream.end();
          await once(stream, "close"); // the close hook awaits the final push
          const m = await waitForReceived(shared.rx, 3);
          expect(consoleError).not.toHaveBeenCalled();
          expect(m[RECEIVED]).toBe(3);
          expect(rejectedPushes(m)).toBe(0);
        } finally {
          consoleError.mockRestore();
        }
      });

      test("the capture holds each record's JSON line, labels, ms timestamp and meta", async () => {
        const { code, stderr, entries } = await shared.stopAndRead();
        expect(code).toBe(0);
        expect(doneLines(stderr)).toBe(3);
        const labels = { app: "api", env: "test", hostname: "test-host" };
        expect(entries).toStrictEqual([
          {
            ts: "2023-11-14T22:13:20.123Z",
            labels: { ...labels, level: "info" },
            msg: '{"level":30,"time":1700000000123,"pid":4242,"msg":"server listening"}',
          },
          {
            ts: "2023-11-14T22:13:20.124Z",
            labels: { ...labels, component: "db", level: "warning" },
            msg: '{"level":40,"time":1700000000124,"pid":4242,"component":"db","meta":{"trace_id":"abc","attempt":2},"msg":"slow query"}',
            meta: { attempt: "2", trace_id: "abc" },
          },
          {
            ts: "2023-11-14T22:13:20.125Z",
            labels: { ...labels, level: "debug" },
            msg: '{"level":20,"time":1700000000125,"pid":4242,"user":{"id":7,"tags":["a","b"]},"msg":"user loaded"}',
          },
        ]);
      });
    });

    describe("no batching, logFormat, replaceTimestamp", () => {
      const shared = sharedReceiver(target);
      let sentFrom = 0;
      let sentTo = 0;

      test("each record is pushed at once; /metrics counts them", async () => {
        const consoleError = spyOn(console, "error");
        try {
          const stream = pinoLoki({
            host: shared.rx.url,
            batching: false,
            labels: { app: "worker" },
            headers: { "X-Scope-OrgID": "jobs" },
            replaceTimestamp: true,
            logFormat: "{lokilevel}: {msg}",
          });
          const logger = pino({ base: { hostname: "worker-host" } }, stream);
          sentFrom = Date.now();
          logger.info("job started");
          logger.error("job failed");
          // pino-loki does not await these pushes; the counter is the only completion signal.
          const m = await waitForReceived(shared.rx, 2);
          sentTo = Date.now();
          expect(consoleError).not.toHaveBeenCalled();
          expect(m[RECEIVED]).toBe(2);
          expect(rejectedPushes(m)).toBe(0);
          stream.end();
          await once(stream, "close");
        } finally {
          consoleError.mockRestore();
        }
      });

      test("the capture holds the formatted lines with the push-time timestamps", async () => {
        const { code, entries } = await shared.stopAndRead();
        expect(code).toBe(0);
        const sorted = entries.slice().sort(byMsg);
        for (const e of sorted) {
          const ms = Date.parse(e.ts);
          expect(ms).toBeGreaterThanOrEqual(sentFrom);
          expect(ms).toBeLessThanOrEqual(sentTo);
        }
        expect(sorted.map(({ ts: _ts, ...rest }) => rest)).toStrictEqual([
          { labels: { app: "worker", hostname: "worker-host", level: "error" }, msg: "error: job failed" },
          { labels: { app: "worker", hostname: "worker-host", level: "info" }, msg: "info: job started" },
        ]);
      });
    });
  });
}
