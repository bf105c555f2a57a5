/**
 * The replay TUI (upstream §5.3): header, services line, progress bar, lines, speed / PAUSED / DONE, separator, the
 * log pane and the status bar (with the speed or PAUSED badge while playing, COMPLETE when the capture is done).
 */

import type { CliRenderer, TextChunk, TextRenderable } from "@opentui/core";
import type { Badge, TuiModel } from "../model/tui-model.ts";
import type { Service } from "../replay/services.ts";
import { formatClock, formatRate, formatSpeed } from "../format.ts";
import { chunk, clipRow, printable, rowsText } from "./chunks.ts";
import { ScreenFrame, textRow } from "./screen-frame.ts";
import { BOLD, colours, serviceColour } from "./theme.ts";

export interface ReplayHeaderInfo {
  dir: string;
  /** `YYYY-MM-DD HH:MM` (UTC). */
  start: string;
  stop: string;
  totalLines: number;
  services: readonly Service[];
}

export interface ReplayProgress {
  emitted: number;
  speed: number;
  paused: boolean;
  /** Milliseconds the replay took, once done. */
  doneInMs: number | null;
  error: string | null;
}

/** header, services, progress, lines, speed, separator, status bar. */
export const REPLAY_CHROME_ROWS = 7;

export class ReplayScreen {
  readonly #info: ReplayHeaderInfo;
  readonly #frame: ScreenFrame;
  readonly #top: TextRenderable;

  constructor(renderer: CliRenderer, info: ReplayHeaderInfo) {
    this.#info = info;
    // All six top rows in one text: they are re-laid out together at every render.
    this.#top = textRow(renderer, "replay-top", REPLAY_CHROME_ROWS - 1);
    this.#frame = new ScreenFrame(renderer, "replay", [this.#top], REPLAY_CHROME_ROWS);
  }

  static paneHeight(height: number): number {
    return Math.max(1, height - REPLAY_CHROME_ROWS);
  }

  static badges(p: ReplayProgress): Badge[] {
    if (p.doneInMs !== null) return [{ text: "COMPLETE", tone: "done" }];
    if (p.error !== null) return [{ text: "READ ERROR", tone: "error" }];
    return [{ text: p.paused ? "PAUSED" : formatSpeed(p.speed), tone: "playback" }];
  }

  render(model: TuiModel, p: ReplayProgress): void {
    const { w, h } = this.#frame.size();
    const i = this.#info;
    const label = (t: string) => chunk(t, { fg: colours.faint });
    const total = Math.max(i.totalLines, p.emitted);
    const ratio = p.doneInMs !== null ? 1 : total > 0 ? Math.min(1, p.emitted / total) : 0;
    // ` Progress:  [` … `] 100%` stays within the width.
    const barWidth = Math.max(10, w - 20);
    const filled = Math.round(ratio * barWidth);
    const speed: TextChunk =
      p.error !== null
        ? chunk(`read error: ${p.error}`, { fg: colours.error, attributes: BOLD })
        : p.doneInMs !== null
          ? chunk(`DONE in ${formatClock(p.doneInMs)}`, { fg: colours.done, attributes: BOLD })
          : p.paused
            ? chunk("PAUSED", { fg: colours.warn, attributes: BOLD })
            : chunk(formatSpeed(p.speed), { fg: colours.playback, attributes: BOLD });
    const rows: TextChunk[][] = [
      [chunk(printable(`logtap open | ${i.dir} | ${i.start} — ${i.stop} | ${formatRate(i.totalLines)} lines`), { attributes: BOLD })],
      this.#servicesRow(w),
      [label(" Progress:  "), chunk(`[${"=".repeat(filled)}${"-".repeat(barWidth - filled)}]`, { fg: colours.playback }), chunk(` ${Math.floor(ratio * 100)}%`)],
      [label(" Lines:     "), chunk(`${p.emitted} / ${total}`)],
      [label(" Speed:     "), speed],
      [chunk("─".repeat(w), { fg: colours.separator })],
    ];
    this.#top.content = rowsText(rows.map((r) => clipRow(r, w)));
    this.#frame.renderPane(model, w, h, ReplayScreen.badges(p));
  }

  destroy(): void {
    this.#frame.destroy();
  }

  /** `Services: a (1.2K) · b (300)`, cut with `...` when wider than width − 12. */
  #servicesRow(w: number): TextChunk[] {
    const list = this.#info.services;
    if (list.length === 0) return [chunk("")];
    const out: TextChunk[] = [chunk("Services: ", { fg: colours.faint })];
    let used = 10;
    const limit = Math.max(0, w - 12);
    for (let n = 0; n < list.length; n++) {
      const s = list[n]!;
      const piece = `${n > 0 ? " · " : ""}${printable(s.name)} (${formatRate(s.lines)})`;
      if (used + piece.length > limit) {
        out.push(chunk("..."));
        break;
      }
      if (n > 0) out.push(chunk(" · ", { fg: colours.faint }));
      out.push(chunk(printable(s.name), { fg: serviceColour(s.name) }), chunk(` (${formatRate(s.lines)})`));
      used += piece.length;
    }
    return out;
  }
}

