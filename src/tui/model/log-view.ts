/**
 * The log pane's state (upstream §5.1–5.2): which entries are visible (the ring through the label filter and the
 * HIDE/GREP stack), where the pane is scrolled, whether it follows the newest entry, the highlight and its matches,
 * and bookmarks. Pure state: no terminal, so every key's effect is unit-testable.
 *
 * The visible list is recomputed only when a filter changed or, while following, when the ring changed. When the
 * user scrolls away from the bottom the list is frozen (new entries are counted, not shown) so what they read does
 * not slide away under a fast stream; `G` or `f` follows again.
 */

import type { Entry } from "../../model/entry.ts";
import { formatInstantSeconds } from "../../capture/timestamp.ts";
import type { RingBuffer } from "./ring-buffer.ts";
import { applyFilters, type EntryMatcher, type LabelFilter, type StackedFilter } from "./line-filters.ts";

export interface VisibleRow {
  /** Position in the filtered list. */
  index: number;
  entry: Entry;
}

export class LogView {
  readonly ring: RingBuffer<Entry>;
  readonly bookmarks = new Map<string, number>();
  #follow = true;
  #offset = 0;
  #pane = 1;
  #label: LabelFilter | null = null;
  #stack: StackedFilter[] = [];
  #highlight: EntryMatcher | null = null;
  #rows: readonly Entry[] = [];
  #matches: number[] = [];
  #matchPos = -1;
  #readVersion = -1;
  #filtersChanged = true;

  constructor(ring: RingBuffer<Entry>) {
    this.ring = ring;
  }

  get follow(): boolean {
    return this.#follow;
  }
  get offset(): number {
    return this.#offset;
  }
  get paneHeight(): number {
    return this.#pane;
  }
  get length(): number {
    return this.#rows.length;
  }
  get rows(): readonly Entry[] {
    return this.#rows;
  }
  get labelFilter(): LabelFilter | null {
    return this.#label;
  }
  get stack(): readonly StackedFilter[] {
    return this.#stack;
  }
  get highlight(): EntryMatcher | null {
    return this.#highlight;
  }
  get matches(): readonly number[] {
    return this.#matches;
  }
  /** Index into `matches` of the current match, -1 when none. */
  get matchPos(): number {
    return this.#matchPos;
  }
  /** Filtered-list index of the current match, -1 when none. */
  get currentMatch(): number {
    return this.#matchPos >= 0 ? this.#matches[this.#matchPos]! : -1;
  }
  /** Entries the ring received since the list was last read (shown as "+N new" while not following). */
  get unseen(): number {
    return Math.max(0, this.ring.version - this.#readVersion);
  }

  /** Re-reads the ring when a filter changed, or when it changed while following. True when the rows changed. */
  refresh(): boolean {
    const ringChanged = this.ring.version !== this.#readVersion;
    if (!this.#filtersChanged && !(ringChanged && this.#follow)) return false;
    this.#readVersion = this.ring.version;
    this.#filtersChanged = false;
    this.#rows = applyFilters(this.ring.toArray(), this.#label, this.#stack);
    this.#computeMatches();
    if (this.#follow) this.#offset = this.#bottom();
    else this.#offset = this.#clamp(this.#offset);
    return true;
  }

  visibleRows(): VisibleRow[] {
    this.refresh();
    const end = Math.min(this.#rows.length, this.#offset + this.#pane);
    const out: VisibleRow[] = [];
    for (let i = this.#offset; i < end; i++) out.push({ index: i, entry: this.#rows[i]! });
    return out;
  }

  setPaneHeight(h: number): void {
    const pane = Math.max(1, Math.floor(h));
    if (pane === this.#pane) return;
    this.#pane = pane;
    this.#offset = this.#follow ? this.#bottom() : this.#clamp(this.#offset);
  }

  /** j/k (±1), d/u (± half a pane): follow off. */
  scroll(by: number): void {
    this.refresh();
    this.#stopFollowing();
    this.#moveTo(this.#offset + by);
  }

  halfPage(direction: 1 | -1): void {
    this.scroll(direction * Math.max(1, Math.floor(this.#pane / 2)));
  }

  /** gg */
  top(): void {
    this.refresh();
    this.#stopFollowing();
    this.#moveTo(0);
  }

  /** G: bottom, following again. */
  bottom(): void {
    this.#follow = true;
    this.#filtersChanged = true;
    this.refresh();
    this.#moveTo(this.#bottom());
  }

  /** f */
  toggleFollow(): void {
    if (this.#follow) this.#stopFollowing();
    else this.bottom();
  }

  setLabelFilter(f: LabelFilter | null): void {
    this.#label = f;
    this.#filtersChanged = true;
    this.refresh();
  }

  /** `/!re`, `/=re`: scrolls to the top, or to the bottom when following. */
  pushFilter(f: StackedFilter): void {
    this.#stack.push(f);
    this.#filtersChanged = true;
    this.refresh();
    if (!this.#follow) this.#moveTo(0);
  }

  popFilter(): StackedFilter | undefined {
    const f = this.#stack.pop();
    if (f) {
      this.#filtersChanged = true;
      this.refresh();
    }
    return f;
  }

  /** Replaces the highlight and jumps to its first match (follow off when there is one). */
  setHighlight(m: EntryMatcher): void {
    this.refresh();
    this.#highlight = m;
    this.#matchPos = -1;
    this.#computeMatches();
    if (this.#matches.length > 0) {
      this.#matchPos = 0;
      this.#stopFollowing();
      this.#centre(this.#matches[0]!);
    }
  }

  clearHighlight(): void {
    this.#highlight = null;
    this.#matches = [];
    this.#matchPos = -1;
  }

  /** n / N: wraps around, centres the match, follow off. */
  nextMatch(direction: 1 | -1): void {
    this.refresh();
    const n = this.#matches.length;
    if (n === 0) return;
    this.#matchPos = this.#matchPos < 0 ? (direction > 0 ? 0 : n - 1) : (this.#matchPos + direction + n) % n;
    this.#stopFollowing();
    this.#centre(this.#matches[this.#matchPos]!);
  }

  /** `t`: the first visible line whose `YYYY-MM-DDTHH:MM:SSZ` contains the input, centred. False when none. */
  jumpToTime(input: string): boolean {
    const needle = input.trim();
    if (needle === "") return false;
    this.refresh();
    for (let i = 0; i < this.#rows.length; i++) {
      if (formatInstantSeconds(this.#rows[i]!).includes(needle)) {
        this.#stopFollowing();
        this.#centre(i);
        return true;
      }
    }
    return false;
  }

  setMark(name: string): void {
    this.bookmarks.set(name, this.#offset);
  }

  /** False when the mark is not set. */
  jumpToMark(name: string): boolean {
    const at = this.bookmarks.get(name);
    if (at === undefined) return false;
    this.#stopFollowing();
    this.#moveTo(at);
    return true;
  }

  #stopFollowing(): void {
    this.#follow = false;
  }

  #bottom(): number {
    return Math.max(0, this.#rows.length - this.#pane);
  }

  #clamp(offset: number): number {
    return Math.min(Math.max(0, offset), this.#bottom());
  }

  #moveTo(offset: number): void {
    this.#offset = this.#clamp(offset);
  }

  #centre(index: number): void {
    this.#moveTo(index - Math.floor(this.#pane / 2));
  }

  #computeMatches(): void {
    const h = this.#highlight;
    const prev = this.currentMatch;
    this.#matches = [];
    if (h === null) {
      this.#matchPos = -1;
      return;
    }
    for (let i = 0; i < this.#rows.length; i++) if (h.test(this.#rows[i]!)) this.#matches.push(i);
    if (this.#matches.length === 0) this.#matchPos = -1;
    else if (prev < 0) this.#matchPos = -1;
    else {
      // Keep the current match on the same row (or the nearest after it) when the list is recomputed.
      let pos = this.#matches.findIndex((i) => i >= prev);
      if (pos < 0) pos = this.#matches.length - 1;
      this.#matchPos = pos;
    }
  }
}
