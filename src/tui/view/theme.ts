/** Colours of the TUIs (256-colour palette indices) and which lines look like errors or warnings. */

import { RGBA, TextAttributes } from "@opentui/core";

const c = (i: number) => RGBA.fromIndex(i);

export const colours = {
  faint: c(244),
  text: c(252),
  error: c(203),
  warn: c(214),
  matchFg: c(16),
  matchBg: c(226),
  separator: c(240),
  dropped: c(196),
  redactOff: c(226),
  promptFg: c(16),
  promptBg: c(117),
  filter: c(213),
  search: c(226),
  follow: c(84),
  playback: c(117),
  done: c(84),
  message: c(252),
  cursor: c(117),
};

export const BOLD = TextAttributes.BOLD;

/** Message words that make a line an error (red) or a warning (orange). */
const ERROR_RE = /\b(?:error|err|fatal|panic|exception|critical|crit|fail|failed|failure|emerg|alert)\b/i;
const WARN_RE = /\b(?:warn|warning)\b/i;

export function severityOf(msg: string): "error" | "warn" | null {
  if (ERROR_RE.test(msg)) return "error";
  if (WARN_RE.test(msg)) return "warn";
  return null;
}

// Distinguishable on dark and light backgrounds; none is red or yellow, which mean error/warn/match.
const SERVICE_PALETTE = [39, 170, 35, 141, 44, 208, 99, 77, 117, 177, 73, 111].map(c);
const serviceCache = new Map<string, RGBA>();

/** The same service always gets the same colour, in every run (FNV-1a of its name). */
export function serviceColour(name: string): RGBA {
  let col = serviceCache.get(name);
  if (col) return col;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  col = SERVICE_PALETTE[h % SERVICE_PALETTE.length]!;
  if (serviceCache.size < 4096) serviceCache.set(name, col);
  return col;
}
