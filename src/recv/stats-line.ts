/** The headless receiver's periodic one-line status on stderr. */

import type { Receiver } from "./receiver.ts";
import { formatBytes, formatCount } from "../common/format.ts";

export function startStatsLine(r: Receiver, maxDisk: number, write: (line: string) => void, intervalMs = 5000): () => void {
  let lastReceived = 0;
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const m = r.metrics;
    const now = performance.now();
    const rate = ((m.received.value - lastReceived) * 1000) / (now - lastAt);
    lastReceived = m.received.value;
    lastAt = now;
    const disk = formatBytes(m.diskUsage.collect?.() ?? 0) + (maxDisk > 0 ? ` / ${formatBytes(maxDisk)}` : "");
    const old = m.skewed.get("old");
    const future = m.skewed.get("future");
    // Only once it happens: the usual line stays as short as it was.
    const skewed = old + future > 0 ? `, ${formatCount(old + future)} skewed (${formatCount(old)} > 7d old, ${formatCount(future)} > 10m ahead)` : "";
    const f = r.followReport;
    const waiting = f && f.metrics.waiting.value > 0 ? ` (${formatCount(f.metrics.waiting.value)} waiting)` : "";
    const follow = f ? `, following ${formatCount(f.metrics.active.value)} streams${waiting}, ${formatCount(f.gaps)} gaps` : "";
    write(
      `recv: ${formatCount(m.received.value)} received (${formatCount(Math.round(rate))}/s), ` +
        `${formatCount(m.written.value)} written, ${formatCount(m.dropped.value)} dropped${skewed}${follow}, ` +
        `queue ${formatCount(r.queue.length)}/${formatCount(r.queue.capacity)}, disk ${disk}`,
    );
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
