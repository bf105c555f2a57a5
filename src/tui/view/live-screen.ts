/**
 * The live receiver dashboard (upstream §5.1): header, blank line, stats and top talkers side by side, a separator,
 * the log pane and the status bar. Sizes come from the renderer at every render, so a resize re-lays out at once.
 */

import { BoxRenderable, TextRenderable, type CliRenderer, type TextChunk } from "@opentui/core";
import type { TuiModel } from "../model/tui-model.ts";
import type { Talker } from "../model/talkers.ts";
import type { LiveStatsSnapshot } from "../live/live-stats.ts";
import { cut, fit, formatBytesTui, formatRate } from "../format.ts";
import { formatCount } from "../../common/format.ts";
import { chunk, clipRow as clip, printable, rowsText } from "./chunks.ts";
import { ScreenFrame, textRow as text } from "./screen-frame.ts";
import { BOLD, colours, serviceColour } from "./theme.ts";

export interface LiveHeaderInfo {
  version: string;
  listen: string;
  dir: string;
  /** --max-disk in bytes; 0 = no cap. */
  maxDisk: number;
  /** Number of redaction patterns, or null when redaction is off. */
  redactPatterns: number | null;
}

/** Rows other than the log pane: header, blank, 6 stats rows, separator, status bar. */
export const LIVE_CHROME_ROWS = 10;
const STATS_ROWS = 6;
const TALKERS = 5;

export class LiveScreen {
  readonly #info: LiveHeaderInfo;
  readonly #frame: ScreenFrame;
  readonly #header: TextRenderable;
  readonly #stats: TextRenderable;
  readonly #talkers: TextRenderable;
  readonly #separator: TextRenderable;

  constructor(renderer: CliRenderer, info: LiveHeaderInfo) {
    this.#info = info;
    this.#header = text(renderer, "header", 1);
    const blank = text(renderer, "blank", 1);
    const statsRow = new BoxRenderable(renderer, { id: "stats-row", flexDirection: "row", width: "100%", height: STATS_ROWS, flexShrink: 0 });
    this.#stats = new TextRenderable(renderer, { id: "stats", height: STATS_ROWS, width: 30, wrapMode: "none", flexShrink: 0 });
    this.#talkers = new TextRenderable(renderer, { id: "talkers", height: STATS_ROWS, flexGrow: 1, wrapMode: "none" });
    statsRow.add(this.#stats);
    statsRow.add(this.#talkers);
    this.#separator = text(renderer, "separator", 1);
    this.#frame = new ScreenFrame(renderer, "live", [this.#header, blank, statsRow, this.#separator], LIVE_CHROME_ROWS);
  }

  /** Log pane height for a terminal of `height` rows. */
  static paneHeight(height: number): number {
    return Math.max(1, height - LIVE_CHROME_ROWS);
  }

  render(model: TuiModel, stats: LiveStatsSnapshot, talkers: readonly Talker[]): void {
    const { w, h } = this.#frame.size();
    const i = this.#info;
    this.#header.content = rowsText([[chunk(cut(printable(`logtap v${i.version} | ${i.listen} | ${i.dir}`), w), { attributes: BOLD })]]);

    const left = Math.min(w, Math.max(30, Math.floor(w / 2)));
    this.#stats.width = left;
    this.#stats.content = rowsText(this.#statsRows(stats, left));
    this.#talkers.content = rowsText(this.#talkerRows(talkers, Math.max(0, w - left)));
    this.#separator.content = rowsText([[chunk("─".repeat(w), { fg: colours.separator })]]);
    this.#frame.renderPane(model, w, h);
  }

  destroy(): void {
    this.#frame.destroy();
  }

  #statsRows(s: LiveStatsSnapshot, width: number): TextChunk[][] {
    const label = (t: string) => chunk(t, { fg: colours.faint });
    const i = this.#info;
    const disk = `${formatBytesTui(s.diskUsage)} / ${i.maxDisk > 0 ? formatBytesTui(i.maxDisk) : "no cap"}`;
    const rows: TextChunk[][] = [
      [label(" Connections:  "), chunk(formatCount(s.connections))],
      [label(" Logs/sec:     "), chunk(formatRate(s.logsPerSec))],
      [label(" Bytes/sec:    "), chunk(formatBytesTui(s.bytesPerSec))],
      [label(" Disk used:    "), chunk(disk)],
      [label(" Dropped:      "), chunk(formatCount(s.dropped), s.dropped > 0 ? { fg: colours.dropped, attributes: BOLD } : {})],
      i.redactPatterns !== null
        ? [label(" Redact:       "), chunk(`on (${i.redactPatterns} patterns)`)]
        : [label(" Redact:       "), chunk("OFF — captured logs may contain sensitive data (use --redact)", { fg: colours.redactOff, attributes: BOLD })],
    ];
    return rows.map((r) => clip(r, width));
  }

  #talkerRows(talkers: readonly Talker[], width: number): TextChunk[][] {
    const rows: TextChunk[][] = [[chunk("Top talkers", { attributes: BOLD })]];
    for (let n = 0; n < TALKERS; n++) {
      const t = talkers[n];
      if (!t) rows.push([chunk("")]);
      else {
        const name = fit(printable(t.name), 20);
        const figure = t.rate !== null ? `${formatRate(t.rate)}/s` : `${formatCount(t.count)} total`;
        rows.push([chunk(" "), chunk(name, { fg: serviceColour(t.name) }), chunk(` ${figure}`)]);
      }
    }
    return rows.map((r) => clip(r, width));
  }
}
