/** The TUIs' own text formats (upstream §1.8: formatRate, the live formatBytes with TB, formatSpeed, formatDuration). */

import { formatBytes, goFixed1 } from "../common/format.ts";

/** ≥1e6 `1.5M`, ≥1e3 `1.5K`, else a whole number. */
export function formatRate(n: number): string {
  if (n >= 1e6) return `${goFixed1(n / 1e6)}M`;
  if (n >= 1e3) return `${goFixed1(n / 1e3)}K`;
  return String(Math.round(n));
}

/** formatBytes plus TB (the live dashboard's variant). */
export function formatBytesTui(n: number): string {
  if (n >= 1024 ** 4) return `${goFixed1(n / 1024 ** 4)} TB`;
  return formatBytes(Math.round(n));
}

/** 0 → `instant`, 1 → `1x`, whole → `10x`, else one decimal `0.5x`. */
export function formatSpeed(speed: number): string {
  if (speed === 0) return "instant";
  if (Number.isInteger(speed)) return `${speed}x`;
  return `${goFixed1(speed)}x`;
}

/** `HH:MM:SS` from an hour up, else `MM:SS` (replay "DONE in"). */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${two(h)}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

/** `YYYY-MM-DD HH:MM` in UTC (upstream printed the hour in the day's place, its Q14). */
export function formatMinute(t: { sec: number }): string {
  return new Date(t.sec * 1000).toISOString().slice(0, 16).replace("T", " ");
}

/** Cuts to `width` characters (code points); the terminal clips anything wider than one cell per character. */
export function cut(text: string, width: number): string {
  if (width <= 0) return "";
  if (text.length <= width) return text;
  const cps = [...text];
  return cps.length <= width ? text : cps.slice(0, width).join("");
}

/** Right-pads or cuts to exactly `width` characters. */
export function fit(text: string, width: number): string {
  const c = cut(text, width);
  const len = [...c].length;
  return len < width ? c + " ".repeat(width - len) : c;
}
