/**
 * `logtap recv` on a terminal: the log ring and top talkers fed from the receiver's pipeline (after redaction), and
 * the dashboard on the real terminal until the user quits or a signal arrives. The receiver's shutdown is the
 * caller's (recv.ts), after the terminal is restored.
 */

import type { EntryBatch, Entry } from "../../model/entry.ts";
import type { Receiver } from "../../recv/receiver.ts";
import { RingBuffer } from "../model/ring-buffer.ts";
import { TopTalkers } from "../model/talkers.ts";
import { runOnTerminal } from "../session.ts";
import type { LiveHeaderInfo } from "../view/live-screen.ts";
import { startLiveDashboard, type DashboardEnd } from "./live-dashboard.ts";
import type { LiveCounters } from "./live-stats.ts";

/** What the receiver's observe stage feeds. Never throws: a TUI problem must not stop the capture. */
export class LiveFeed {
  readonly ring: RingBuffer<Entry>;
  readonly talkers = new TopTalkers();

  constructor(capacity: number) {
    this.ring = new RingBuffer<Entry>(capacity);
  }

  readonly observe = (batch: EntryBatch): void => {
    try {
      this.ring.pushAll(batch.entries);
      this.talkers.add(batch.entries);
    } catch {
      // The dashboard is a view; the capture goes on regardless.
    }
  };
}

export function receiverCounters(r: Receiver): () => LiveCounters {
  const m = r.metrics;
  return () => ({
    received: m.received.value,
    bytesWritten: m.bytesWritten.value,
    dropped: m.dropped.value,
    connections: m.activeConnections.value,
    diskUsage: m.diskUsage.collect?.() ?? m.diskUsage.value,
  });
}

export type LiveTuiResult = { opened: true; end: DashboardEnd } | { opened: false; reason: string };

/**
 * Opens the terminal, runs the dashboard until quit or a signal, restores the terminal. If the terminal cannot be
 * opened (e.g. the native library cannot be unpacked into $TMPDIR) it says why, and the caller runs headless.
 */
export async function runLiveTui(receiver: Receiver, feed: LiveFeed, info: LiveHeaderInfo): Promise<LiveTuiResult> {
  const r = await runOnTerminal((renderer) =>
    startLiveDashboard(renderer, { ring: feed.ring, talkers: feed.talkers, counters: receiverCounters(receiver), info }),
  );
  return r.opened ? { opened: true, end: r.end } : r;
}
