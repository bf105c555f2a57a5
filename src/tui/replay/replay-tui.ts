/**
 * The replay TUI wired to a renderer: the service picker first when the capture has several services and no
 * `--label` was given, then the replay screen fed by ReplayFeed. Keys show in the next frame; the log pane refreshes
 * when the ring changed (at most every `refreshMs`); progress every `tickMs`; a resize re-lays out at once.
 */

import type { CliRenderer } from "@opentui/core";
import type { Entry } from "../../model/entry.ts";
import type { CaptureBatch } from "../../model/capture-batch.ts";
import type { CaptureInfo } from "../../capture/capture-info.ts";
import type { EntryFilter } from "../../capture/filters/entry-filter.ts";
import { CaptureReader } from "../../capture/reader/capture-reader.ts";
import type { ReadProblem } from "../../capture/reader/read-problem.ts";
import type { PrefilterRegExp } from "../../regex/required-literals.ts";
import { formatMinute } from "../format.ts";
import type { Key } from "../model/key.ts";
import { RingBuffer } from "../model/ring-buffer.ts";
import { ServicePicker } from "../model/service-picker.ts";
import { TuiModel, type TuiCommand } from "../model/tui-model.ts";
import { PickerScreen } from "../view/picker-screen.ts";
import { ReplayScreen } from "../view/replay-screen.ts";
import { exportStatus } from "../export-capture.ts";
import type { LatencyProbe } from "../latency-probe.ts";
import { runOnTerminal, startSession } from "../session.ts";
import type { DashboardEnd } from "../live/live-dashboard.ts";
import { Playback } from "./playback.ts";
import { ReplayFeed, type ServiceSelection } from "./replay-feed.ts";
import { servicesOf, servicesPassing, type Service } from "./services.ts";
import { totalLines } from "./total-lines.ts";

export interface ReplayTuiOptions {
  capture: CaptureInfo;
  filter: EntryFilter;
  rawPrefilter?: PrefilterRegExp;
  speed: number;
  /** `--label` was given: no service picker (upstream). */
  labelGiven: boolean;
  ringSize: number;
  refreshMs?: number;
  tickMs?: number;
  probe?: LatencyProbe;
  exportView?: (path: string, entries: readonly Entry[]) => Promise<string>;
  now?: () => Date;
  /** Stages between the filter and pacing, as in plain `open` (fault injection). */
  stages?: TransformStream<CaptureBatch, CaptureBatch>[];
  /** Tests pass one with a controllable clock. */
  playback?: Playback;
}

export interface ReplayTui {
  readonly model: TuiModel;
  readonly ring: RingBuffer<Entry>;
  readonly playback: Playback;
  readonly feed: ReplayFeed;
  /** The picker while it is shown, else null. */
  picker(): ServicePicker | null;
  /** Read problems (damaged data); the command prints them once the terminal is restored. */
  readonly problems: ReadProblem[];
  readonly done: Promise<DashboardEnd>;
  render(): void;
  stop(): void;
}

export function startReplayTui(renderer: CliRenderer, o: ReplayTuiOptions): ReplayTui {
  const ring = new RingBuffer<Entry>(o.ringSize);
  const model = new TuiModel(ring, { mode: "replay", now: o.now });
  const playback = o.playback ?? new Playback(o.speed);
  const problems: ReadProblem[] = [];
  const reader = new CaptureReader(o.capture.dir, { filter: o.filter, rawPrefilter: o.rawPrefilter, onProblem: (p) => problems.push(p) });
  const feed = new ReplayFeed(reader, o.filter, playback, ring, o.stages);
  const services = servicesOf(o.capture.index);
  const total = totalLines(o.capture.dir, o.capture.index);
  const times = { start: formatMinute(o.capture.clock.start), stop: formatMinute(o.capture.clock.end) };
  let picker: ServicePicker | null = !o.labelGiven && services && services.list.length > 1 ? new ServicePicker(services) : null;
  let pickerScreen: PickerScreen | null = null;
  let screen: ReplayScreen | null = null;

  const draw = () => {
    if (pickerScreen && picker) pickerScreen.render(picker);
    else if (screen) {
      screen.render(model, {
        emitted: feed.emitted,
        speed: playback.speed,
        paused: playback.paused,
        doneInMs: feed.done ? feed.doneAt - feed.startedAt : null,
        error: feed.error ? feed.error.message.split("\n")[0]! : null,
      });
    }
  };

  // While the picker is shown it takes every key; Enter swaps it for the replay screen and starts the feed.
  const pickerKey = (k: Key): boolean => {
    if (!picker) return false;
    const r = picker.handleKey(k);
    if (r === "quit") {
      session.finish("quit");
      return true;
    }
    if (r === "start") {
      const values = picker.selection();
      const key = picker.services.key;
      picker = null;
      pickerScreen?.destroy();
      pickerScreen = null;
      begin(values ? { key, values } : null);
      return true;
    }
    session.render();
    return true;
  };

  const playbackCommand = (cmd: TuiCommand) => {
    if (cmd.kind === "toggle-pause") playback.togglePause();
    else if (cmd.kind === "faster") playback.faster();
    else if (cmd.kind === "slower") playback.slower();
  };

  const session = startSession(renderer, {
    model,
    ringVersion: () => ring.version,
    draw,
    interceptKey: pickerKey,
    onCommand: playbackCommand,
    onStop: () => feed.stop(),
    refreshMs: o.refreshMs,
    tickMs: o.tickMs,
    probe: o.probe,
    exportView: o.exportView ?? exportStatus,
  });

  const begin = (selection: ServiceSelection | null) => {
    let shown: readonly Service[] = services ? servicesPassing(services, o.filter.labels) : [];
    if (selection) shown = shown.filter((s) => selection.values.has(s.name));
    screen = new ReplayScreen(renderer, { dir: o.capture.dir, ...times, totalLines: total, services: shown });
    void feed.start(selection).then(session.render);
    session.render();
  };

  if (picker) pickerScreen = new PickerScreen(renderer, { dir: o.capture.dir, ...times, totalLines: total });
  else begin(null);
  session.render();
  return { model, ring, playback, feed, picker: () => picker, problems, done: session.done, render: session.render, stop: session.stop };
}

export type ReplayTuiResult = { opened: true; end: DashboardEnd; problems: ReadProblem[] } | { opened: false; reason: string };

/**
 * Opens the terminal, runs the replay until quit or a signal, restores the terminal. If the terminal cannot be
 * opened it says why, and the caller replays as plain text.
 */
export async function runReplayTui(o: ReplayTuiOptions): Promise<ReplayTuiResult> {
  const r = await runOnTerminal((renderer) => startReplayTui(renderer, o));
  return r.opened ? { opened: true, end: r.end, problems: r.app?.problems ?? [] } : r;
}
