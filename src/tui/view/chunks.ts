/** Building opentui styled text from plain pieces: one chunk per differently styled run, rows joined by newlines. */

import { StyledText, type RGBA, type TextChunk } from "@opentui/core";

export interface Style {
  fg?: RGBA;
  bg?: RGBA;
  attributes?: number;
}

export function chunk(text: string, style: Style = {}): TextChunk {
  const out: TextChunk = { __isChunk: true, text };
  if (style.fg) out.fg = style.fg;
  if (style.bg) out.bg = style.bg;
  if (style.attributes) out.attributes = style.attributes;
  return out;
}

/** Rows of chunks as one StyledText, rows separated by newlines. */
export function rowsText(rows: readonly TextChunk[][]): StyledText {
  const all: TextChunk[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) all.push(chunk("\n"));
    for (const c of rows[i]!) all.push(c);
  }
  return new StyledText(all);
}

/** Control characters (newlines, tabs, escapes) would break the layout or the terminal: shown as spaces. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f]/.test(text) ? text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ") : text;
}

/** Cuts a row of chunks to `width` characters. */
export function clipRow(row: readonly TextChunk[], width: number): TextChunk[] {
  const out: TextChunk[] = [];
  let left = width;
  for (const c of row) {
    if (left <= 0) break;
    if (c.text.length <= left) {
      out.push(c);
      left -= c.text.length;
    } else {
      out.push({ ...c, text: c.text.slice(0, left) });
      left = 0;
    }
  }
  return out;
}
