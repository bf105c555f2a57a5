/**
 * The status bar (upstream §5.1 item 6): badges separated by a space, right-aligned. When they do not fit, the
 * leftmost badge is shortened with "…" (or dropped when too little of it would remain), then the next.
 */

import type { TextChunk } from "@opentui/core";
import type { Badge, BadgeTone } from "../model/tui-model.ts";
import { chunk, printable, type Style } from "./chunks.ts";
import { BOLD, colours } from "./theme.ts";

const TONES: Record<BadgeTone, Style> = {
  prompt: { fg: colours.promptFg, bg: colours.promptBg },
  message: { fg: colours.message },
  error: { fg: colours.error, attributes: BOLD },
  filter: { fg: colours.filter, attributes: BOLD },
  search: { fg: colours.search },
  follow: { fg: colours.follow, attributes: BOLD },
  playback: { fg: colours.playback, attributes: BOLD },
  done: { fg: colours.done, attributes: BOLD },
  new: { fg: colours.warn },
};

export function statusText(badges: readonly Badge[]): string {
  return badges.map((b) => printable(b.text)).join(" ");
}

export function statusChunks(badges: readonly Badge[], width: number): TextChunk[] {
  const shown = badges.map((b) => ({ text: printable(b.text), tone: b.tone }));
  const length = () => shown.reduce((n, b) => n + b.text.length, 0) + Math.max(0, shown.length - 1);
  let total = length();
  while (total > width && shown.length > 0) {
    const first = shown[0]!;
    const keep = first.text.length - (total - width) - 1;
    if (keep >= 8 || shown.length === 1) first.text = first.text.slice(0, Math.max(0, keep)) + "…";
    else shown.shift();
    total = length();
  }
  const out: TextChunk[] = [];
  if (total < width) out.push(chunk(" ".repeat(width - total)));
  shown.forEach((b, i) => {
    if (i > 0) out.push(chunk(" "));
    out.push(chunk(b.text.slice(0, width), TONES[b.tone]));
  });
  return out;
}
