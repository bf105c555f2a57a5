/**
 * Cross-service correlation (upstream §11.5): for each ordered pair of services, the Pearson correlation of their
 * error counts per 10 s, the target shifted by 0–5 steps; strong pairs become co-failures or cascades.
 */

import type { ServiceErrors } from "./triage-totals.ts";
import { CORRELATION_STEP_SEC } from "./unit-tally.ts";

export type CorrelationPattern = "co_failure" | "cascade_timeout" | "cascade_error";

export interface Correlation {
  source: string;
  target: string;
  lag_seconds: number;
  pattern: CorrelationPattern;
  confidence: number;
  source_error: string;
  target_error: string;
}

const MAX_LAG_STEPS = 5;
const MIN_CONFIDENCE = 0.5;

/** Pearson's r of x[0..m) and y[lag..lag+m); 0 where undefined or negative, 1 for two constant non-zero series. */
function laggedCorrelation(x: Float64Array, y: Float64Array, lag: number): number {
  const m = x.length - lag;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < m; i++) {
    sx += x[i]!;
    sy += y[i + lag]!;
  }
  const mx = sx / m;
  const my = sy / m;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < m; i++) {
    const dx = x[i]! - mx;
    const dy = y[i + lag]! - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  if (vx === 0 || vy === 0) return vx === 0 && vy === 0 && mx > 0 && my > 0 ? 1 : 0;
  return Math.max(0, cov / Math.sqrt(vx * vy));
}

function dense(steps: Map<number, number>, from: number, n: number): Float64Array {
  const v = new Float64Array(n);
  for (const [step, count] of steps) v[step - from] = count;
  return v;
}

function range(steps: Map<number, number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of steps.keys()) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  return [lo, hi];
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`\\b${name.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")}\\b`, "i").test(text);
}

export function correlate(services: ReadonlyMap<string, ServiceErrors>): Correlation[] {
  const names = [...services.keys()].sort();
  if (names.length < 2) return [];
  const ranges = new Map(names.map((n) => [n, range(services.get(n)!.steps)]));
  const found: Correlation[] = [];
  for (const source of names) {
    for (const target of names) {
      if (source === target) continue;
      const [sLo, sHi] = ranges.get(source)!;
      const [tLo, tHi] = ranges.get(target)!;
      const from = Math.min(sLo, tLo);
      const n = Math.max(sHi, tHi) - from + 1;
      const x = dense(services.get(source)!.steps, from, n);
      const y = dense(services.get(target)!.steps, from, n);
      let best = 0;
      let bestLag = 0;
      for (let lag = 0; lag <= Math.min(MAX_LAG_STEPS, n - 1); lag++) {
        const r = laggedCorrelation(x, y, lag);
        if (r > best) {
          best = r;
          bestLag = lag;
        }
      }
      if (best <= MIN_CONFIDENCE) continue;
      const sourceError = services.get(source)!.first;
      const targetError = services.get(target)!.first;
      const lagSeconds = bestLag * CORRELATION_STEP_SEC;
      const pattern: CorrelationPattern =
        lagSeconds < CORRELATION_STEP_SEC ? "co_failure" : mentions(sourceError, target) || mentions(targetError, source) ? "cascade_timeout" : "cascade_error";
      found.push({ source, target, lag_seconds: lagSeconds, pattern, confidence: Math.round(best * 100) / 100, source_error: sourceError, target_error: targetError });
    }
  }
  // One entry per unordered pair: the higher confidence, else the pair examined first (alphabetically smaller source).
  const byPair = new Map<string, Correlation>();
  for (const c of found) {
    const key = c.source < c.target ? `${c.source}\u0000${c.target}` : `${c.target}\u0000${c.source}`;
    const had = byPair.get(key);
    if (had === undefined || c.confidence > had.confidence) byPair.set(key, c);
  }
  // Stable sort over pairs in examination order: equal confidences stay by source, then target name (Q13).
  const kept = found.filter((c) => byPair.get(c.source < c.target ? `${c.source}\u0000${c.target}` : `${c.target}\u0000${c.source}`) === c);
  return kept.sort((a, b) => b.confidence - a.confidence);
}
