/**
 * Key-to-frame latency measurement for the benchmark (scripts/bench/tui): with LOGTAP_TUI_LATENCY_LOG=<file> set,
 * every key press records when it was handled and when the next frame was on the terminal, and the samples are
 * appended to the file as JSON lines when the TUI exits. It also records, once a second, the longest time the event
 * loop was blocked (`{"loopLagMs": n}` lines): a key cannot be read while the loop is busy with other work.
 * Without the variable nothing is recorded and no timer runs.
 */

import { appendFileSync } from "node:fs";

export interface LatencySample {
  key: string;
  /** Wall clock (ms since the epoch) when the key event reached the TUI. */
  keyAt: number;
  /** Milliseconds from the key event to the end of the frame that shows its effect. */
  keyToFrameMs: number;
}

interface PendingKey {
  key: string;
  at: number;
  wall: number;
  /** Frames to let pass first (one that was already being drawn when the key came). */
  skip: number;
}

export class LatencyProbe {
  readonly #file: string | null;
  readonly #samples: LatencySample[] = [];
  /** Keys waiting for their frame (several when keys come faster than frames). */
  #pending: PendingKey[] = [];

  readonly #loopLag: number[] = [];
  #timers: ReturnType<typeof setInterval>[] = [];

  constructor(file: string | null = process.env.LOGTAP_TUI_LATENCY_LOG ?? null) {
    this.#file = file && file.length > 0 ? file : null;
    if (this.#file === null) return;
    let last = performance.now();
    let worst = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 10);
      last = now;
    }, 10);
    const report = setInterval(() => {
      this.#loopLag.push(Math.round(worst * 10) / 10);
      worst = 0;
    }, 1000);
    tick.unref?.();
    report.unref?.();
    this.#timers = [tick, report];
  }

  get enabled(): boolean {
    return this.#file !== null;
  }

  get samples(): readonly LatencySample[] {
    return this.#samples;
  }

  /** `frameInProgress`: a frame was being drawn when the key came; its end does not show the key yet. */
  keyHandled(name: string, frameInProgress = false): void {
    if (this.#file === null) return;
    const at = performance.now();
    this.#pending.push({ key: name, at, wall: performance.timeOrigin + at, skip: frameInProgress ? 1 : 0 });
  }

  /** Call from the renderer's "frame" event. */
  frameDone(): void {
    if (this.#pending.length === 0) return;
    const now = performance.now();
    const waiting: PendingKey[] = [];
    for (const p of this.#pending) {
      if (p.skip > 0) {
        p.skip--;
        waiting.push(p);
      } else this.#samples.push({ key: p.key, keyAt: Math.round(p.wall * 1000) / 1000, keyToFrameMs: Math.round((now - p.at) * 1000) / 1000 });
    }
    this.#pending = waiting;
  }

  /** Writes what was recorded and stops the loop-lag timers. */
  flush(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    if (this.#file === null || (this.#samples.length === 0 && this.#loopLag.length === 0)) return;
    const lines = [...this.#samples.map((s) => JSON.stringify(s)), ...this.#loopLag.map((l) => JSON.stringify({ loopLagMs: l }))];
    appendFileSync(this.#file, lines.join("\n") + "\n");
    this.#samples.length = 0;
    this.#loopLag.length = 0;
  }
}
