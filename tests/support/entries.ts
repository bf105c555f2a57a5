/** Deterministic realistic entries for tests. */

import type { Entry, EntryBatch, Labels } from "../../src/model/entry.ts";

export function makeEntries(n: number, opts: { apps?: string[]; startSec?: number; msgBytes?: number } = {}): Entry[] {
  const apps = opts.apps ?? ["api", "worker", "web"];
  const labels: Labels[] = apps.map((app) => Object.freeze({ app, namespace: "prod" }));
  const start = opts.startSec ?? 1_700_000_000;
  const pad = opts.msgBytes ? "x".repeat(Math.max(0, opts.msgBytes - 40)) : "";
  const out: Entry[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      sec: start + Math.floor(i / 1000),
      nsec: (i % 1000) * 1_000_000,
      labels: labels[i % labels.length]!,
      msg: `line ${i} level=${i % 10 === 0 ? "error" : "info"} ${pad}`,
    });
  }
  return out;
}

export function batchesOf(entries: Entry[], size: number): EntryBatch[] {
  const out: EntryBatch[] = [];
  for (let i = 0; i < entries.length; i += size) out.push({ entries: entries.slice(i, i + size) });
  return out;
}
