/**
 * Top talkers of the live dashboard (upstream §5.1): entries counted per service (the `app` label, else the first
 * label by key), with a per-second rate computed at each tick. Distinct services are capped so a label with
 * unbounded values cannot grow memory without limit; the excess is counted under "(other)".
 */

import type { Entry, Labels } from "../../model/entry.ts";
import { serviceOf } from "../../capture/display-line.ts";

interface Cell {
  name: string;
  count: number;
  atTick: number;
  rate: number;
}

export interface Talker {
  name: string;
  count: number;
  /** Entries per second over the last tick; null before the first tick that saw this service. */
  rate: number | null;
}

export const MAX_TALKERS = 10_000;

export class TopTalkers {
  readonly #cells = new Map<string, Cell>();
  readonly #byLabels = new WeakMap<Labels, Cell | null>();
  readonly #max: number;
  #ticked = false;

  constructor(max = MAX_TALKERS) {
    this.#max = max;
  }

  add(entries: readonly Entry[]): void {
    let last: Labels | null = null;
    let cell: Cell | null = null;
    for (let i = 0; i < entries.length; i++) {
      const labels = entries[i]!.labels;
      if (labels !== last) {
        last = labels;
        cell = this.#cellFor(labels);
      }
      if (cell !== null) cell.count++;
    }
  }

  /** Turns the counts since the previous tick into rates. */
  tick(seconds: number): void {
    for (const c of this.#cells.values()) {
      c.rate = seconds > 0 ? (c.count - c.atTick) / seconds : 0;
      c.atTick = c.count;
    }
    this.#ticked = true;
  }

  /** Most entries first (ties by name). */
  top(n: number): Talker[] {
    const all = [...this.#cells.values()];
    all.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return all.slice(0, n).map((c) => ({ name: c.name, count: c.count, rate: this.#ticked && c.rate > 0 ? c.rate : null }));
  }

  #cellFor(labels: Labels): Cell | null {
    const known = this.#byLabels.get(labels);
    if (known !== undefined) return known;
    let name = serviceOf(labels);
    let cell: Cell | null = null;
    if (name !== "") {
      if (!this.#cells.has(name) && this.#cells.size >= this.#max) name = "(other)";
      cell = this.#cells.get(name) ?? null;
      if (cell === null) this.#cells.set(name, (cell = { name, count: 0, atTick: 0, rate: 0 }));
    }
    this.#byLabels.set(labels, cell);
    return cell;
  }
}
