/**
 * The exact bytes other Loki clients send (Vector, Alloy, Promtail, Fluent Bit, Fluentd, plain Loki JSON), pushed
 * over a bare socket to the real `logtap recv`; each must be answered 204 and land in the capture exactly — labels,
 * message bytes, nanosecond timestamps and structured metadata. See tests/fixtures/clients/loki-client-requests.ts
 * for which client source each request follows.
 */

import { describe, expect, test } from "bun:test";
import { linesViaZstdCli } from "../../support/capture-files.ts";
import { cliTargets } from "../../support/cli.ts";
import { clientFixtures, type CapturedEntry } from "../../fixtures/clients/loki-client-requests.ts";
import { rawPost } from "../../fixtures/clients/raw-http.ts";
import { RECEIVED, doneLines, rejectedPushes, sharedReceiver, waitForReceived } from "./receiver-helpers.ts";

const fixtures = clientFixtures();
const total = fixtures.reduce((n, f) => n + f.expected.length, 0);

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The capture line upstream writes for an entry (upstream-behaviour.md §2.3): fields ts, labels, msg (then meta),
 * map keys sorted, Go encoding/json's HTML-safe escaping of < > & and U+2028/U+2029.
 */
function goJsonLine(e: CapturedEntry): string {
  const ordered: Record<string, unknown> = { ts: e.ts };
  if (e.labels !== undefined) ordered.labels = sortedRecord(e.labels);
  ordered.msg = e.msg;
  if (e.meta !== undefined) ordered.meta = sortedRecord(e.meta);
  return JSON.stringify(ordered).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

for (const target of cliTargets()) {
  describe(`real client bytes → logtap recv [${target.name}]`, () => {
    const shared = sharedReceiver(target);
    let sentSoFar = 0;

    for (const f of fixtures) {
      test(`${f.name} → 204`, async () => {
        const res = await rawPost(shared.rx.url, f.path, f.headers, f.body);
        expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: "" });
        sentSoFar += f.expected.length;
        // The 204 is sent after the entries were admitted, so the counter is already there; the wait only bounds it.
        const m = await waitForReceived(shared.rx, sentSoFar);
        expect(m[RECEIVED]).toBe(sentSoFar);
      });
    }

    test("nothing was rejected or dropped", async () => {
      const m = await waitForReceived(shared.rx, total);
      expect(m[RECEIVED]).toBe(total);
      expect(m.logtap_logs_dropped_total).toBe(0);
      expect(rejectedPushes(m)).toBe(0);
    });

    test("after SIGTERM the capture holds exactly the sent entries, in order", async () => {
      const { code, stderr, entries } = await shared.stopAndRead();
      expect(code).toBe(0);
      expect(doneLines(stderr)).toBe(total);
      // Per fixture first, so a failure names the client; then the whole capture (nothing extra, nothing lost).
      let at = 0;
      for (const f of fixtures) {
        const got: CapturedEntry[] = entries.slice(at, at + f.expected.length);
        expect({ fixture: f.name, entries: got }).toStrictEqual({ fixture: f.name, entries: f.expected });
        at += f.expected.length;
      }
      expect(entries).toStrictEqual(fixtures.flatMap((f) => f.expected));
      // And byte for byte: field order, sorted keys, escaping.
      expect(linesViaZstdCli(shared.rx.dir)).toEqual(fixtures.flatMap((f) => f.expected.map(goJsonLine)));
    });
  });
}
