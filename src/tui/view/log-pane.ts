/** The log pane's content: only the rows in view are built; the help overlay replaces them when open. */

import type { StyledText, TextChunk } from "@opentui/core";
import type { TuiModel } from "../model/tui-model.ts";
import type { EntryMatcher } from "../model/line-filters.ts";
import { cut } from "../format.ts";
import { chunk, rowsText } from "./chunks.ts";
import { helpLines } from "./help.ts";
import { logRow } from "./log-rows.ts";
import { BOLD } from "./theme.ts";

export class LogPaneContent {
  #matcher: EntryMatcher | null = null;
  #global: RegExp | null = null;

  build(model: TuiModel, width: number, height: number): StyledText {
    if (model.help) {
      const lines = helpLines(model.mode, width, height).slice(0, height);
      return rowsText(lines.map((l, i): TextChunk[] => [chunk(cut(l, width), i === 0 ? { attributes: BOLD } : {})]));
    }
    const v = model.view;
    v.setPaneHeight(height);
    const highlight = this.#highlightRe(v.highlight);
    const current = v.currentMatch;
    return rowsText(v.visibleRows().map((r) => logRow(r.entry, { width, highlight, current: r.index === current })));
  }

  #highlightRe(m: EntryMatcher | null): RegExp | null {
    if (m !== this.#matcher) {
      this.#matcher = m;
      this.#global = m ? new RegExp(m.re.source, m.re.flags + "g") : null;
    }
    return this.#global;
  }
}
