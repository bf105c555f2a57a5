/** Human formats shared by every command's text output (upstream §1.8). */

/** Go's `%.1f`: exact ties round to even (1280 B is "1.2 KB" in Go; toFixed would say 1.3). */
export function goFixed1(x: number): string {
  const scaled = x * 10;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) return ((floor % 2 === 0 ? floor : floor + 1) / 10).toFixed(1);
  return x.toFixed(1);
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${goFixed1(n / 1024 ** 3)} GB`;
  if (n >= 1024 ** 2) return `${goFixed1(n / 1024 ** 2)} MB`;
  if (n >= 1024) return `${goFixed1(n / 1024)} KB`;
  return `${n} B`;
}

export function formatCount(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Whole units, two fields: `30s`, `5m 30s`, `2h 13m`, `1d 00h` (upstream's formatHumanDuration). */
export function formatHumanDuration(totalSec: number): string {
  const s = Math.max(0, Math.floor(totalSec));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d}d ${two(h)}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}
