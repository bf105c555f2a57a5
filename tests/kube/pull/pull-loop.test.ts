/**
 * The continuous pull and its final step against a scripted receiver: a failure that passes is reported once and
 * the next round goes on (and says so), one that does not ends the loop; the final step is tried again a bounded
 * number of times; and what counts as passing (network, timeouts, 429/5xx) and what not (401, 404, 403).
 */

import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { KubeApiError, KubeError } from "../../../src/kube/errors/kube-error.ts";
import { CapturePuller } from "../../../src/kube/pull/capture-puller.ts";
import { RemoteError, type CaptureRemote } from "../../../src/kube/pull/capture-remote.ts";
import { isRetryable, pullWhile } from "../../../src/kube/pull/pull-loop.ts";
import { runPull } from "../../../src/kube/pull/run-pull.ts";
import { tempDir } from "../../support/receiver-process.ts";

const METADATA = new TextEncoder().encode('{"version":1,"started":"2026-01-01T00:00:00Z"}');

/** A receiver whose listing fails as `failures` says, call by call (null = answers), holding only metadata.json. */
function scripted(failures: (Error | null)[]): CaptureRemote & { lists: number; finishes: number } {
  const remote = {
    where: "http://scripted",
    lists: 0,
    finishes: 0,
    async list() {
      const failure = failures[remote.lists++];
      if (failure) throw failure;
      return { finished: remote.finishes > 0, files: [{ name: "metadata.json", size: METADATA.length, state: "meta" as const, ...(remote.finishes > 0 ? { sha256: new Bun.CryptoHasher("sha256").update(METADATA).digest("hex") } : {}) }] };
    },
    async read() {
      return (async function* () {
        yield METADATA;
      })();
    },
    async finish() {
      remote.finishes++;
      return { lines: 0, bytes: 0 };
    },
  };
  return remote;
}

describe("pullWhile", () => {
  test("a passing failure is said once, the rounds go on, and recovery is said", async () => {
    const down = new RemoteError("list the capture: cannot reach the receiver at http://scripted: connection refused", true);
    const remote = scripted([null, down, down, null, null]);
    const log: string[] = [];
    const stop = new AbortController();
    const loop = pullWhile(new CapturePuller(remote, join(tempDir(), "c")), stop.signal, { intervalMs: 5, log: (l) => log.push(l) });
    while (remote.lists < 5) await Bun.sleep(5);
    stop.abort();
    await loop;
    expect(log).toEqual([`warning: pull failed, trying again: ${down.message}`, "pulling again from http://scripted"]);
  });

  test("a failure that will not pass ends the loop with it", async () => {
    const refused = new RemoteError("list the capture: the receiver at http://scripted refused the capture token (401)", false, 4);
    const e = await pullWhile(new CapturePuller(scripted([refused]), join(tempDir(), "c")), new AbortController().signal, { intervalMs: 5, log: () => {} }).catch((x) => x);
    expect(e).toBe(refused);
  });
});

describe("runPull's final step", () => {
  test("tried again while it fails for a reason that passes, up to the attempts", async () => {
    const busy = new RemoteError("list the capture: the receiver at http://scripted answered 503", true);
    const log: string[] = [];
    const summary = await runPull(new CapturePuller(scripted([busy, busy, null, null]), join(tempDir(), "c")), {
      follow: false,
      stop: new AbortController().signal,
      intervalMs: 5,
      finish: true,
      log: (l) => log.push(l),
      attempts: 3,
      retryMs: 1,
    });
    expect(summary).toEqual({ files: 1, bytes: METADATA.length, lines: 0 });
    expect(log.slice(0, 3)).toEqual([
      "finishing the receiver's capture (it takes no more pushes)...",
      `warning: ${busy.message}; trying again (1/2)`,
      `warning: ${busy.message}; trying again (2/2)`,
    ]);
    const gaveUp = await runPull(new CapturePuller(scripted([busy, busy, busy]), join(tempDir(), "d")), {
      follow: false,
      stop: new AbortController().signal,
      intervalMs: 5,
      finish: true,
      log: () => {},
      attempts: 3,
      retryMs: 1,
    }).catch((x) => x);
    expect(gaveUp).toBe(busy);
  });
});

test("what is worth another round", () => {
  expect(isRetryable(new RemoteError("x", true))).toBe(true);
  expect(isRetryable(new RemoteError("x", false))).toBe(false);
  for (const status of [429, 500, 502, 503, 504]) expect(isRetryable(new KubeApiError("x", status, "r", undefined))).toBe(true);
  for (const status of [401, 403, 404, 409]) expect(isRetryable(new KubeApiError("x", status, "r", undefined))).toBe(false);
  expect(isRetryable(new KubeError("x", "unreachable"))).toBe(true);
  expect(isRetryable(new KubeError("x", "timeout"))).toBe(true);
  expect(isRetryable(new KubeError("x", "tls"))).toBe(false);
  expect(isRetryable(new Error("x"))).toBe(false);
});
