/**
 * What the live dashboard and the replay TUI share once a renderer is up: the refresh timer (redraw when the ring
 * changed, at most every `refreshMs`), the tick timer (every `tickMs`), the renderer wiring (keypress, resize, frame,
 * destroy), the quit and export commands, and an idempotent stop. Each app keeps only what differs: what it draws,
 * what a tick updates, and the keys or commands only it knows (the replay's picker and playback controls).
 */

import type { CliRenderer, KeyEvent } from "@opentui/core";
import type { Entry } from "../model/entry.ts";
import { keyFrom, type Key } from "./model/key.ts";
import type { TuiCommand, TuiModel } from "./model/tui-model.ts";
import { LatencyProbe } from "./latency-probe.ts";
import { closeTerminal, holdStderr, openTerminalGuarded } from "./terminal.ts";

/** Why a session ended: the user quit (q, Ctrl+C) or the renderer was destroyed (a signal). */
export type SessionEnd = "quit" | "destroyed";

export interface SessionOptions {
  model: TuiModel;
  /** The ring's change counter; the refresh timer redraws only when it moved. */
  ringVersion: () => number;
  /** Draws the current state; only called while the session runs and the renderer is alive. */
  draw: () => void;
  /** Runs before the redraw of every tick (e.g. the live stats); the replay just redraws. */
  onTick?: () => void;
  /** Sees every key first; returns true when it took the key (it then redraws itself, as it needs). */
  interceptKey?: (k: Key) => boolean;
  /** Commands other than quit and export (the replay's playback controls); the live dashboard has none. */
  onCommand?: (cmd: TuiCommand) => void;
  /** Runs first in stop(), before timers and listeners go (e.g. stopping the replay feed). */
  onStop?: () => void;
  refreshMs?: number;
  tickMs?: number;
  probe?: LatencyProbe;
  /** Writes an export and returns the status text. */
  exportView: (path: string, entries: readonly Entry[]) => Promise<string>;
}

export interface Session {
  readonly done: Promise<SessionEnd>;
  /** Redraws now unless stopped or the renderer is gone. */
  render(): void;
  /** Runs one tick now. */
  tick(): void;
  /** Stops and resolves `done` with `end`; later calls do nothing. */
  finish(end: SessionEnd): void;
  /** Stops timers and listeners (the renderer stays; the caller destroys it). Idempotent. */
  stop(): void;
}

export function startSession(renderer: CliRenderer, o: SessionOptions): Session {
  const probe = o.probe ?? new LatencyProbe();
  let stopped = false;
  let resolveDone!: (end: SessionEnd) => void;
  const done = new Promise<SessionEnd>((r) => (resolveDone = r));

  const render = () => {
    if (stopped || renderer.isDestroyed) return;
    o.draw();
  };
  const tick = () => {
    o.onTick?.();
    render();
  };
  const finish = (end: SessionEnd) => {
    if (stopped) return;
    stop();
    resolveDone(end);
  };
  const run = (cmd: TuiCommand | null) => {
    if (cmd === null) return;
    if (cmd.kind === "quit") finish("quit");
    else if (cmd.kind === "export") {
      void o.exportView(cmd.path, cmd.entries).then((text) => {
        o.model.setExportMessage(text);
        render();
      });
    } else o.onCommand?.(cmd);
  };
  const onKey = (e: KeyEvent) => {
    const k = keyFrom(e);
    probe.keyHandled(k.char ?? k.name, renderer.getSchedulerState().isRendering);
    if (o.interceptKey?.(k)) return;
    run(o.model.handleKey(k));
    render();
  };
  const onResize = () => render();
  const onFrame = () => probe.frameDone();
  const onDestroy = () => finish("destroyed");

  let seenVersion = o.ringVersion();
  const refreshTimer = setInterval(() => {
    const version = o.ringVersion();
    if (version === seenVersion) return;
    seenVersion = version;
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
    o.onStop?.();
    clearInterval(refreshTimer);
    clearInterval(tickTimer);
    renderer.keyInput.off("keypress", onKey);
    renderer.off("resize", onResize);
    renderer.off("frame", onFrame);
    renderer.off("destroy", onDestroy);
    probe.flush();
  }

  return { done, render, tick, finish, stop };
}

export type TerminalRun<T> = { opened: true; end: SessionEnd; app: T | null } | { opened: false; reason: string };

/**
 * Opens the terminal, runs the app `start` builds until quit or a signal, restores the terminal. If the terminal
 * cannot be opened (e.g. the native library cannot be unpacked into $TMPDIR) it says why, and the caller falls back
 * to plain output. `app` is null when a signal arrived while opening (the app never started).
 */
export async function runOnTerminal<T extends { readonly done: Promise<SessionEnd>; stop(): void }>(
  start: (renderer: CliRenderer) => T,
): Promise<TerminalRun<T>> {
  let opened;
  try {
    opened = await openTerminalGuarded();
  } catch (e) {
    return { opened: false, reason: (e as Error).message.split("\n")[0]! };
  }
  const { renderer, signalled } = opened;
  if (signalled) {
    await closeTerminal(renderer);
    return { opened: true, end: "destroyed", app: null };
  }
  const release = holdStderr();
  const app = start(renderer);
  try {
    return { opened: true, end: await app.done, app };
  } finally {
    app.stop();
    await closeTerminal(renderer);
    release();
  }
}
