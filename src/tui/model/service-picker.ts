/**
 * The replay's service picker (upstream §5.3): every service selected at first; j/k/↓/↑ move, Space toggles,
 * `a` toggles all (all selected → none, else all), Enter starts, q / Ctrl+C quit. Selecting none means all.
 */

import type { Key } from "./key.ts";
import type { Services } from "../replay/services.ts";

export class ServicePicker {
  readonly services: Services;
  readonly selected: boolean[];
  cursor = 0;

  constructor(services: Services) {
    this.services = services;
    this.selected = services.list.map(() => true);
  }

  handleKey(k: Key): "start" | "quit" | null {
    const n = this.selected.length;
    if (k.ctrl && k.name === "c") return "quit";
    if (k.char === "q") return "quit";
    if (k.name === "return") return "start";
    if (k.char === "j" || k.name === "down") this.cursor = Math.min(n - 1, this.cursor + 1);
    else if (k.char === "k" || k.name === "up") this.cursor = Math.max(0, this.cursor - 1);
    else if (k.char === " " || k.name === "space") this.selected[this.cursor] = !this.selected[this.cursor];
    else if (k.char === "a") this.selected.fill(!this.selected.every(Boolean));
    return null;
  }

  /** The chosen values, or null for "no restriction" (all or none selected). */
  selection(): Set<string> | null {
    const chosen = this.services.list.filter((_, i) => this.selected[i]).map((s) => s.name);
    return chosen.length === 0 || chosen.length === this.selected.length ? null : new Set(chosen);
  }
}
