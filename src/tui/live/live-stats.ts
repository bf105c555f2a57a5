/** The live dashboard's stats block (upstream §5.1): counters read from the receiver, rates computed per tick. */

export interface LiveCounters {
  received: number;
  bytesWritten: number;
  dropped: number;
  connections: number;
  diskUsage: number;
}

export interface LiveStatsSnapshot extends LiveCounters {
  logsPerSec: number;
  bytesPerSec: number;
}

export class LiveStats {
  readonly #read: () => LiveCounters;
  #last: LiveCounters;
  #lastAt: number;
  #snapshot: LiveStatsSnapshot;

  constructor(read: () => LiveCounters, nowMs: number = performance.now()) {
    this.#read = read;
    this.#last = read();
    this.#lastAt = nowMs;
    this.#snapshot = { ...this.#last, logsPerSec: 0, bytesPerSec: 0 };
  }

  /** Recomputes rates over the time since the previous tick; returns the seconds elapsed. */
  tick(nowMs: number = performance.now()): number {
    const cur = this.#read();
    const sec = (nowMs - this.#lastAt) / 1000;
    this.#snapshot = {
      ...cur,
      logsPerSec: sec > 0 ? (cur.received - this.#last.received) / sec : 0,
      bytesPerSec: sec > 0 ? (cur.bytesWritten - this.#last.bytesWritten) / sec : 0,
    };
    this.#last = cur;
    this.#lastAt = nowMs;
    return sec;
  }

  /** Latest counters with the last tick's rates (counters refreshed on every call). */
  current(): LiveStatsSnapshot {
    return { ...this.#snapshot, ...this.#read() };
  }
}
