/** Shared waits and checks for the real-client receiver tests. */

import { afterAll, beforeAll } from "bun:test";
import { entriesViaZstdCli } from "../../support/capture-files.ts";
import type { CliTarget } from "../../support/cli.ts";
import { startReceiver, type RunningReceiver } from "../../support/receiver-process.ts";
import type { CapturedEntry } from "../../fixtures/clients/loki-client-requests.ts";

export const RECEIVED = "logtap_logs_received_total";

/**
 * Polls `/metrics` until `logtap_logs_received_total` reaches `count` or `timeoutMs` passes; returns the metrics
 * last seen (the caller asserts on them, so a timeout fails with the real numbers rather than a generic message).
 */
export async function waitForReceived(rx: RunningReceiver, count: number, timeoutMs = 5_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await rx.metrics();
    if ((m[RECEIVED] ?? 0) >= count || Date.now() >= deadline) return m;
    await Bun.sleep(10);
  }
}

/** Sum of `logtap_push_rejected_total{status=…}` over all statuses. */
export function rejectedPushes(metrics: Record<string, number>): number {
  let n = 0;
  for (const [k, v] of Object.entries(metrics)) if (k.startsWith("logtap_push_rejected_total")) n += v;
  return n;
}

export interface StoppedCapture {
  code: number;
  stderr: string;
  entries: CapturedEntry[];
}

/** SIGTERM, wait for exit, read the capture back with the `zstd` CLI. */
export async function stopAndReadCapture(rx: RunningReceiver): Promise<StoppedCapture> {
  const { code, stderr } = await rx.stop("SIGTERM");
  return { code, stderr, entries: entriesViaZstdCli(rx.dir) };
}

/** The `done: <n> lines` count from the headless shutdown line (upstream §3, headless stderr). */
export function doneLines(stderr: string): number | null {
  const m = /done: (\d+) lines/.exec(stderr);
  return m ? Number(m[1]) : null;
}

/** Stable order for entries that arrived in concurrent requests. */
export function byMsg(a: CapturedEntry, b: CapturedEntry): number {
  return a.msg < b.msg ? -1 : a.msg > b.msg ? 1 : 0;
}

/** One receiver shared by a describe block's tests: started before them, stopped after unless a test stopped it. */
export function sharedReceiver(target: CliTarget): { readonly rx: RunningReceiver; stopAndRead(): Promise<StoppedCapture> } {
  let rx: RunningReceiver | undefined;
  let stopped = false;
  beforeAll(async () => {
    rx = await startReceiver([], { target });
  });
  afterAll(async () => {
    if (rx && !stopped) await rx.stop("SIGTERM");
  });
  return {
    get rx() {
      return rx!;
    },
    stopAndRead() {
      stopped = true;
      return stopAndReadCapture(rx!);
    },
  };
}
