/**
 * One log pane row as styled chunks: the entry display line (upstream §1.8, `<ts> [<app>] <msg>`) cut to the pane
 * width, the service in its stable colour, error/warning lines coloured, highlight matches black on yellow and the
 * current match's whole row black on yellow.
 */

import type { TextChunk } from "@opentui/core";
import type { Entry } from "../../model/entry.ts";
import { serviceOf } from "../../capture/display-line.ts";
import { formatInstantSeconds } from "../../capture/timestamp.ts";
import { chunk, printable, type Style } from "./chunks.ts";
import { colours, serviceColour, severityOf } from "./theme.ts";

interface Run {
  end: number;
  style: Style;
}

export interface RowOptions {
  width: number;
  /** Global regex whose matches are highlighted. */
  highlight: RegExp | null;
  /** The current search match: the whole row is highlighted. */
  current: boolean;
}

const MATCH: Style = { fg: colours.matchFg, bg: colours.matchBg };

export function logRow(e: Entry, o: RowOptions): TextChunk[] {
  const ts = formatInstantSeconds(e);
  const app = printable(serviceOf(e.labels));
  const msg = printable(e.msg);
  const sev = severityOf(e.msg);
  let text = `${ts} [${app}] ${msg}`;
  if (text.length > o.width) {
    let end = o.width;
    if (end > 0 && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
    text = text.slice(0, end);
  }
  if (o.current) return [chunk(text, MATCH)];

  const appStart = ts.length + 2;
  const msgStart = appStart + app.length + 2;
  const msgStyle: Style = sev === "error" ? { fg: colours.error } : sev === "warn" ? { fg: colours.warn } : {};
  const base: Run[] = [
    { end: ts.length + 2, style: { fg: colours.faint } },
    { end: appStart + app.length, style: { fg: serviceColour(app) } },
    { end: msgStart, style: { fg: colours.faint } },
    { end: text.length, style: msgStyle },
  ];
  const marks = o.highlight ? matchRanges(o.highlight, text) : [];
  const out: TextChunk[] = [];
  let pos = 0;
  let b = 0;
  let m = 0;
  while (pos < text.length) {
    while (b < base.length - 1 && base[b]!.end <= pos) b++;
    while (m < marks.length && marks[m]![1] <= pos) m++;
    const inMark = m < marks.length && marks[m]![0] <= pos;
    let end = Math.min(base[b]!.end, text.length);
    if (inMark) end = Math.min(end, marks[m]![1]);
    else if (m < marks.length) end = Math.min(end, marks[m]![0]);
    if (end <= pos) end = pos + 1;
    out.push(chunk(text.slice(pos, end), inMark ? MATCH : base[b]!.style));
    pos = end;
  }
  return out;
}

/** [start, end) of every non-empty match, in order. */
function matchRanges(re: RegExp, text: string): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const m = re.exec(text);
    if (m === null) break;
    if (m[0].length === 0) {
      re.lastIndex = m.index + 1;
      continue;
    }
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}
