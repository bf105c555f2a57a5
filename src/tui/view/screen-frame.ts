/**
 * The part the live and replay screens share: a full-size column holding the screen's own top rows, then the log
 * pane and the status bar. The pane takes whatever height the top rows leave, recomputed at every render so a
 * resize re-lays out at once.
 */

import { BoxRenderable, TextRenderable, type CliRenderer, type Renderable } from "@opentui/core";
import type { Badge, TuiModel } from "../model/tui-model.ts";
import { rowsText } from "./chunks.ts";
import { LogPaneContent } from "./log-pane.ts";
import { statusChunks } from "./status-bar.ts";

/** A fixed-height, full-width text row that neither wraps nor shrinks (so the layout never squeezes the chrome). */
export const textRow = (renderer: CliRenderer, id: string, height: number) =>
  new TextRenderable(renderer, { id, height, width: "100%", wrapMode: "none", flexShrink: 0 });

export class ScreenFrame {
  readonly #r: CliRenderer;
  readonly #chromeRows: number;
  readonly #root: BoxRenderable;
  readonly #pane: TextRenderable;
  readonly #status: TextRenderable;
  readonly #paneContent = new LogPaneContent();

  /** `top` goes above the pane; `chromeRows` counts every row but the pane's (the top rows plus the status bar). */
  constructor(renderer: CliRenderer, id: string, top: readonly Renderable[], chromeRows: number) {
    this.#r = renderer;
    this.#chromeRows = chromeRows;
    this.#root = new BoxRenderable(renderer, { id, flexDirection: "column", width: "100%", height: "100%" });
    this.#pane = textRow(renderer, "pane", 1);
    this.#status = textRow(renderer, "status", 1);
    for (const child of [...top, this.#pane, this.#status]) this.#root.add(child);
    renderer.root.add(this.#root);
  }

  /** The terminal size now, at least 1×1. */
  size(): { w: number; h: number } {
    return { w: Math.max(1, this.#r.width), h: Math.max(1, this.#r.height) };
  }

  /** Log pane height for a terminal of `height` rows. */
  paneHeight(height: number): number {
    return Math.max(1, height - this.#chromeRows);
  }

  /** Fills the log pane and the status bar (with the screen's extra badges) for width `w` and height `h`. */
  renderPane(model: TuiModel, w: number, h: number, badges: Badge[] = []): void {
    const paneH = this.paneHeight(h);
    this.#pane.height = paneH;
    this.#pane.content = this.#paneContent.build(model, w, paneH);
    this.#status.content = rowsText([statusChunks(model.statusBadges(badges), w)]);
  }

  destroy(): void {
    this.#root.destroyRecursively();
  }
}
