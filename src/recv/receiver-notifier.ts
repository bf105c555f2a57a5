/**
 * Turns receiver activity into webhook events (upstream §3.11) and alert rules (§3.12): start, rotation, error,
 * disk-warning (usage above 80 % of --max-disk; fires once, re-arms at or below 80 %), alert, and a stop event
 * that shutdown waits for.
 */

import type { AlertEvaluator } from "../notify/alert-rules.ts";
import type { WebhookDispatcher } from "../notify/webhook-dispatcher.ts";
import type { ReceiverMetrics } from "./receiver-metrics.ts";

const DISK_WARNING_RATIO = 0.8;

export class ReceiverNotifier {
  readonly #dispatcher: WebhookDispatcher | null;
  readonly #alerts: AlertEvaluator | null;
  readonly #dir: string;
  readonly #maxDisk: number;
  #metrics: ReceiverMetrics | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #diskWarned = false;

  constructor(opts: { dispatcher: WebhookDispatcher | null; alerts: AlertEvaluator | null; dir: string; maxDisk: number }) {
    this.#dispatcher = opts.dispatcher;
    this.#alerts = opts.alerts;
    this.#dir = opts.dir;
    this.#maxDisk = opts.maxDisk;
  }

  get active(): boolean {
    return this.#dispatcher !== null || this.#alerts !== null;
  }

  start(metrics: ReceiverMetrics): void {
    this.#metrics = metrics;
    this.#dispatcher?.send({ event: "start", dir: this.#dir });
    this.#timer = setInterval(() => this.#tick(), 1000);
    this.#timer.unref?.();
  }

  rotated(): void {
    this.#dispatcher?.send({ event: "rotation", detail: "size" });
  }

  writeFailed(): void {
    this.#dispatcher?.send({ event: "error" });
  }

  #tick(): void {
    const m = this.#metrics!;
    const usage = m.diskUsage.collect?.() ?? m.diskUsage.value;
    if (this.#maxDisk > 0) {
      const over = usage > this.#maxDisk * DISK_WARNING_RATIO;
      if (over && !this.#diskWarned) {
        this.#dispatcher?.send({ event: "disk-warning", dir: this.#dir, stats: { lines_written: 0, bytes_written: 0, disk_usage: usage, disk_cap: this.#maxDisk } });
      }
      this.#diskWarned = over;
    }
    for (const rule of this.#alerts?.evaluate({ logsReceived: m.received.value, logsDropped: m.dropped.value, diskUsage: usage, maxDisk: this.#maxDisk }) ?? []) {
      this.#dispatcher?.send({ event: "alert", detail: rule.detail });
    }
  }

  /** Sends `stop` and waits for every delivery still in flight, each bounded by its 5 s timeout (upstream's Q19). */
  async stop(totals: { lines: number; bytes: number }, diskUsage: number): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#dispatcher?.send({ event: "stop", dir: this.#dir, stats: { lines_written: totals.lines, bytes_written: totals.bytes, disk_usage: diskUsage, disk_cap: this.#maxDisk } });
    await this.#dispatcher?.flush();
  }
}
