/** The replay's service picker screen (upstream §5.3). The list scrolls to keep the cursor in view. */

import { BoxRenderable, TextRenderable, type CliRenderer, type TextChunk } from "@opentui/core";
import type { ServicePicker } from "../model/service-picker.ts";
import { formatRate } from "../format.ts";
import { chunk, clipRow, printable, rowsText } from "./chunks.ts";
import { BOLD, colours, serviceColour } from "./theme.ts";

export interface PickerInfo {
  dir: string;
  start: string;
  stop: string;
  totalLines: number;
}

const HEAD_ROWS = 6;
const FOOT_ROWS = 2;

export class PickerScreen {
  readonly #r: CliRenderer;
  readonly #info: PickerInfo;
  readonly #root: BoxRenderable;
  readonly #text: TextRenderable;

  constructor(renderer: CliRenderer, info: PickerInfo) {
    this.#r = renderer;
    this.#info = info;
    this.#root = new BoxRenderable(renderer, { id: "picker", flexDirection: "column", width: "100%", height: "100%" });
    this.#text = new TextRenderable(renderer, { id: "picker-text", width: "100%", flexGrow: 1, wrapMode: "none" });
    this.#root.add(this.#text);
    renderer.root.add(this.#root);
  }

  render(p: ServicePicker): void {
    const w = Math.max(1, this.#r.width);
    const h = Math.max(1, this.#r.height);
    const i = this.#info;
    const faint = { fg: colours.faint };
    const rows: TextChunk[][] = [
      [chunk("Select services to load", { attributes: BOLD })],
      [],
      [chunk("Capture: ", faint), chunk(printable(i.dir))],
      [chunk("Time:    ", faint), chunk(`${i.start} — ${i.stop}`)],
      [chunk("Total:   ", faint), chunk(`${formatRate(i.totalLines)} lines`)],
      [],
    ];
    const room = Math.max(1, h - HEAD_ROWS - FOOT_ROWS);
    const list = p.services.list;
    const first = Math.min(Math.max(0, p.cursor - room + 1), Math.max(0, list.length - room));
    for (let n = first; n < Math.min(list.length, first + room); n++) {
      const s = list[n]!;
      const here = n === p.cursor;
      rows.push([
        chunk(here ? "> " : "  ", here ? { fg: colours.cursor, attributes: BOLD } : {}),
        chunk(p.selected[n] ? "[x] " : "[ ] "),
        chunk(printable(s.name), { fg: serviceColour(s.name), attributes: here ? BOLD : 0 }),
        chunk(` (${formatRate(s.lines)} lines)`, faint),
      ]);
    }
    rows.push([], [chunk("Space: toggle  |  a: toggle all  |  Enter: confirm  |  q: quit", faint)]);
    this.#text.content = rowsText(rows.map((r) => clipRow(r, w)));
  }

  destroy(): void {
    this.#root.destroyRecursively();
  }
}
