/** Captures for the triage and report tests, built with logtap's own writer. */

import type { Entry, Labels } from "../../src/model/entry.ts";

export const T0 = Date.UTC(2024, 0, 15, 10, 0, 0) / 1000;
export const app = (name: string): Labels => Object.freeze({ app: name });

/** Upstream's F2 (Appendix A.6): ten lines over eight minutes, six errors from three services. */
export function f2Entries(): Entry[] {
  const rows: [number, string, string][] = [
    [0, "api", "request ok"],
    [1, "api", "connection refused to payments:8080"],
    [2, "gateway", "GET /health 200"],
    [3, "api", "connection refused to payments:8080"],
    [3, "api", "5xx server error status=503"],
    [4, "gateway", "GET /health 200"],
    [5, "api", "panic: nil pointer dereference"],
    [6, "worker", "timeout processing job=12345"],
    [7, "worker", "job done"],
    [8, "api", "connection refused to payments:8080"],
  ];
  return rows.map(([m, a, msg], i) => ({ sec: T0 + m * 60, nsec: i, labels: app(a), msg }));
}

export const F2_META = { started: "2024-01-15T10:00:00Z", stopped: "2024-01-15T10:08:00Z" };

/**
 * Many frames in several files (so `--jobs 2` splits files into units), three services, a high-cardinality error
 * message (distinct signatures beyond a small --max-signatures) and a db → api cascade 20 s apart.
 */
export function bigEntries(): Entry[] {
  const out: Entry[] = [];
  const pod = (i: number) => Object.freeze({ app: ["api", "db", "web"][i % 3]!, pod: `pod-${i % 7}` });
  const labels = Array.from({ length: 21 }, (_, i) => pod(i));
  let x = 17;
  for (let i = 0; i < 30_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const l = labels[i % 21]!;
    const sec = T0 + Math.floor(i / 10);
    let msg = `GET /items/${i} 200 ${x % 90}ms`;
    if (l.app === "db" && x % 11 === 0) msg = `db: deadlock error on table t${x % 5}`;
    if (l.app === "web" && x % 13 === 0) msg = `render failed for user-${x % 997}`;
    out.push({ sec, nsec: (i % 10) * 1e8, labels: l, msg });
    // api fails 20 s after db does, naming it.
    if (l.app === "db" && x % 11 === 0) out.push({ sec: sec + 20, nsec: 0, labels: labels[0]!, msg: `timeout calling db after 5s (req ${i})` });
  }
  return out.sort((a, b) => a.sec - b.sec || a.nsec - b.nsec);
}

