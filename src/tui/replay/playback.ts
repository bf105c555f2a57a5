/**
 * Replay control (upstream §5.3–5.4): speed, pause and stop, shared by the keys and the pipeline. The pipeline's
 * PaceStream reads `control.speed()` per entry and measures time with `clock`, a clock that stands still while paused
 * — so a pause shifts the replay's anchor by its length — and whose sleeps follow speed changes mid-wait and end at
 * once on stop. `gate()` holds the stream while paused (needed at speed 0, where PaceStream never sleeps).
 * Nothing busy-waits: waiting is on promises resolved by the key handlers.
 */

import type { PaceControl } from "../../../pipeline/stages/pace.ts";
import { fasterSpeed, slowerSpeed } from "../model/speed.ts";

export interface PaceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface RealTime {
  now(): number;
  /** Resolves after `ms`, or earlier when `wake` is called; returns a canceller. */
  timer(ms: number, done: () => void): () => void;
}

const realTime: RealTime = {
  now: () => performance.now(),
  timer(ms, done) {
    const t = setTimeout(done, ms);
    return () => clearTimeout(t);
  },
};

export class Playback {
  readonly control: PaceControl;
  readonly clock: PaceClock;
  #speed: number;
  #paused = false;
  #stopped = false;
  #pausedAt = 0;
  #pausedTotal = 0;
  readonly #time: RealTime;
  /** Waiters for the next change (pause, resume, speed, stop). */
  #waiters: (() => void)[] = [];

  constructor(speed: number, time: RealTime = realTime) {
    this.#speed = speed;
    this.#time = time;
    this.control = { speed: () => this.#speed };
    this.clock = { now: () => this.now(), sleep: (ms) => this.#sleep(ms) };
  }

  get speed(): number {
    return this.#speed;
  }
  get paused(): boolean {
    return this.#paused;
  }
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Replay time in ms: real time minus time spent paused. */
  now(): number {
    const real = this.#time.now();
    return real - this.#pausedTotal - (this.#paused ? real - this.#pausedAt : 0);
  }

  togglePause(): void {
    if (this.#stopped) return;
    if (this.#paused) this.#pausedTotal += this.#time.now() - this.#pausedAt;
    else this.#pausedAt = this.#time.now();
    this.#paused = !this.#paused;
    this.#changed();
  }

  setSpeed(speed: number): void {
    if (speed === this.#speed) return;
    this.#speed = speed;
    this.#changed();
  }

  faster(): void {
    this.setSpeed(fasterSpeed(this.#speed));
  }

  slower(): void {
    this.setSpeed(slowerSpeed(this.#speed));
  }

  /** Ends every wait now and for good (quitting). */
  stop(): void {
    this.#stopped = true;
    this.#changed();
  }

  /** Resolves when not paused (at once if not paused now); undefined when there is nothing to wait for. */
  gate(): Promise<void> | undefined {
    if (!this.#paused || this.#stopped) return undefined;
    return (async () => {
      while (this.#paused && !this.#stopped) await this.#nextChange();
    })();
  }

  #changed(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Waits `ms` of replay time at the current speed. The remaining wait is kept in capture time, so a speed change
   * mid-wait rescales it, and paused time does not count.
   */
  async #sleep(ms: number): Promise<void> {
    let captureMs = ms * (this.#speed > 0 ? this.#speed : 1);
    while (!this.#stopped) {
      if (this.#paused) {
        await this.#nextChange();
        continue;
      }
      const speed = this.#speed;
      if (speed <= 0) return;
      const realLeft = captureMs / speed;
      if (realLeft <= 1) return;
      const t0 = this.now();
      await new Promise<void>((resolve) => {
        let cancel = () => {};
        const done = () => {
          cancel();
          this.#waiters = this.#waiters.filter((w) => w !== done);
          resolve();
        };
        this.#waiters.push(done);
        cancel = this.#time.timer(realLeft, done);
      });
      captureMs -= (this.now() - t0) * speed;
    }
  }
}
