/**
 * The live dashboard wired to a renderer: keys go to the model and show in the next frame, the log pane refreshes
 * when the ring changed (at most every `refreshMs`), stats and talker rates are recomputed every `tickMs`, and a
 * resize re-lays out at once. Works with a real terminal or opentui's test renderer.
 */

import type { CliRenderer } from "@opentui/core";
import type { Entry } from "../../model/entry.ts";
import type { RingBuffer } from "../model/ring-buffer.ts";
import type { TopTalkers } from "../model/talkers.ts";
import { TuiModel } from "../model/tui-model.ts";
import { LiveScreen, type LiveHeaderInfo } from "../view/live-screen.ts";
import { LiveStats, type LiveCounters } from "./live-stats.ts";
import { exportStatus } from "../export-capture.ts";
import type { LatencyProbe } from "../latency-probe.ts";
import { startSession, type SessionEnd } from "../session.ts";

export interface LiveDashboardOptions {
  ring: RingBuffer<Entry>;
  talkers: TopTalkers;
  counters: () => LiveCounters;
  info: LiveHeaderInfo;
  /** Log pane refresh period while entries arrive. */
  refreshMs?: number;
  /** Stats and rates period (upstream: 1 s). */
  tickMs?: number;
  probe?: LatencyProbe;
  /** Writes an export and returns the status text (default: a new capture directory). */
  exportView?: (path: string, entries: readonly Entry[]) => Promise<string>;
  now?: () => Date;
}

export type DashboardEnd = SessionEnd;

export interface Dashboard {
  readonly model: TuiModel;
  /** Resolves when the user quits (q, Ctrl+C) or the renderer is destroyed (a signal). */
  readonly done: Promise<DashboardEnd>;
  /** Redraws now (tests call it after changing the ring). */
  render(): void;
  /** Runs one stats tick now. */
  tick(): void;
  /** Stops timers and listeners (the renderer stays; the caller destroys it). */
  stop(): void;
}

export function startLiveDashboard(renderer: CliRenderer, o: LiveDashboardOptions): Dashboard {
  const model = new TuiModel(o.ring, { mode: "live", now: o.now });
  const screen = new LiveScreen(renderer, o.info);
  const stats = new LiveStats(o.counters);
  const session = startSession(renderer, {
    model,
    ringVersion: () => o.ring.version,
    draw: () => screen.render(model, stats.current(), o.talkers.top(5)),
    // Talker rates move with the stats tick, so both update before the redraw.
    onTick: () => o.talkers.tick(stats.tick()),
    refreshMs: o.refreshMs,
    tickMs: o.tickMs,
    probe: o.probe,
    exportView: o.exportView ?? exportStatus,
  });
  session.render();
  return { model, done: session.done, render: session.render, tick: session.tick, stop: session.stop };
}
