/** Small entry sets for the TUI tests: a timestamp per second from 2025-01-15T10:00:00Z, two or three services. */

import type { Entry, Labels } from "../../pipeline/entry.ts";

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
