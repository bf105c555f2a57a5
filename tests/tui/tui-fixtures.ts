/** Small entry sets for the TUI tests: a timestamp per second from 2025-01-15T10:00:00Z, two or three services. */

import type { Entry, Labels } from "../../src/model/entry.ts";
import type { RealTime } from "../../src/tui/replay/playback.ts";

export const T0 = Date.parse("2025-01-15T10:00:00Z") / 1000;

const labelCache = new Map<string, Labels>();
export function labels(app: string, extra: Record<string, string> = {}): Labels {
  const key = JSON.stringify([app, extra]);
  let l = labelCache.get(key);
  if (!l) labelCache.set(key, (l = Object.freeze({ app, ...extra })));
  return l;
}

export function entry(i: number, app: string, msg: string, extra: Record<string, string> = {}): Entry {
  return { sec: T0 + i, nsec: 0, labels: labels(app, extra), msg };
}

/** n entries: every 5th an error, apps cycling web, api, db; message `… #i`. */
export function sample(n: number): Entry[] {
  const apps = ["web", "api", "db"];
  return Array.from({ length: n }, (_, i) => entry(i, apps[i % 3]!, i % 5 === 0 ? `error: request failed #${i}` : `GET /item/${i} 200 #${i}`, { env: i % 2 ? "prod" : "dev" }));
}

/**
 * A manual clock for Playback: timers fire only when the test advances time. Between steps it sleeps `settleMs` of
 * real time so promise chains (and, for a rendered TUI, its frames) catch up.
 */
export class FakeTime implements RealTime {
  t = 0;
  timers: { at: number; done: () => void; live: boolean }[] = [];
  constructor(private readonly settleMs = 0) {}
  now = () => this.t;
  timer(ms: number, done: () => void) {
    const rec = { at: this.t + ms, done, live: true };
    this.timers.push(rec);
    return () => void (rec.live = false);
  }
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      await Bun.sleep(this.settleMs);
      const due = this.timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = due.at;
      due.live = false;
      due.done();
    }
    this.t = end;
    await Bun.sleep(this.settleMs);
  }
}
