/**
 * The live dashboard wired to a renderer: keys go to the model and show in the next frame, the log pane refreshes
 * when the ring changed (at most every `refreshMs`), stats and talker rates are recomputed every `tickMs`, and a
 * resize re-lays out at once. Works with a real terminal or opentui's test renderer.
 */

import type { CliRenderer, KeyEvent } from "@opentui/core";
import type { Entry } from "../../../pipeline/entry.ts";
import { keyFrom } from "../model/key.ts";
import type { RingBuffer } from "../model/ring-buffer.ts";
import type { TopTalkers } from "../model/talkers.ts";
import { TuiModel, type TuiCommand } from "../model/tui-model.ts";
import { LiveScreen, type LiveHeaderInfo } from "../view/live-screen.ts";
import { LiveStats, type LiveCounters } from "./live-stats.ts";
import { exportStatus } from "../export-capture.ts";
import { LatencyProbe } from "../latency-probe.ts";

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

export type DashboardEnd = "quit" | "destroyed";

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
  const probe = o.probe ?? new LatencyProbe();
  const exportView = o.exportView ?? exportStatus;
  let stopped = false;
  let resolveDone!: (end: DashboardEnd) => void;
  const done = new Promise<DashboardEnd>((r) => (resolveDone = r));

  const render = () => {
    if (stopped || renderer.isDestroyed) return;
    screen.render(model, stats.current(), o.talkers.top(5));
  };
  const tick = () => {
    o.talkers.tick(stats.tick());
    render();
  };
  const finish = (end: DashboardEnd) => {
    if (stopped) return;
    stop();
    resolveDone(end);
  };
  const run = (cmd: TuiCommand | null) => {
    if (cmd === null) return;
    if (cmd.kind === "quit") finish("quit");
    else if (cmd.kind === "export") {
      void exportView(cmd.path, cmd.entries).then((text) => {
        model.setExportMessage(text);
        render();
      });
    }
  };
  const onKey = (e: KeyEvent) => {
    const k = keyFrom(e);
    probe.keyHandled(k.char ?? k.name, renderer.getSchedulerState().isRendering);
    run(model.handleKey(k));
    render();
  };
  const onResize = () => render();
  const onFrame = () => probe.frameDone();
  const onDestroy = () => finish("destroyed");

  let seenVersion = o.ring.version;
  const refreshTimer = setInterval(() => {
    if (o.ring.version === seenVersion) return;
    seenVersion = o.ring.version;
    render();
  }, o.refreshMs ?? 100);
  const tickTimer = setInterval(tick, o.tickMs ?? 1000);

  renderer.keyInput.on("keypress", onKey);
  renderer.on("resize", onResize);
  renderer.on("frame", onFrame);
  renderer.on("destroy", onDestroy);

  function stop() {
    if (stopped) return;
    stopped = true;
    clearInterval(refreshTimer);
    clearInterval(tickTimer);
    renderer.keyInput.off("keypress", onKey);
    renderer.off("resize", onResize);
    renderer.off("frame", onFrame);
    renderer.off("destroy", onDestroy);
    probe.flush();
  }

  render();
  return { model, done, render, tick, stop };
}
