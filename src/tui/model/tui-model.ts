/**
 * The TUIs' key handling (upstream §5.2, plus the replay keys of §5.3) as state transitions over a LogView:
 * prompts, the help overlay, bookmarks and status badges. Side effects the model cannot do itself (quitting,
 * writing an export, changing the replay speed) come back from `handleKey` as commands for the app to run.
 */

import type { Entry } from "../../model/entry.ts";
import type { Key } from "./key.ts";
import { LogView } from "./log-view.ts";
import { EntryMatcher, badgeOf, parseLabelInput } from "./line-filters.ts";
import type { RingBuffer } from "./ring-buffer.ts";

export type PromptKind = "search" | "label" | "time" | "export" | "mark-set" | "mark-jump";

export interface Prompt {
  kind: PromptKind;
  input: string;
}

export type TuiCommand =
  | { kind: "quit" }
  | { kind: "export"; path: string; entries: readonly Entry[] }
  | { kind: "toggle-pause" }
  | { kind: "faster" }
  | { kind: "slower" };

export type BadgeTone = "prompt" | "message" | "error" | "filter" | "search" | "follow" | "playback" | "done" | "new";

export interface Badge {
  text: string;
  tone: BadgeTone;
}

export interface TuiModelOptions {
  mode: "live" | "replay";
  /** Local time for the export prompt's default `./filtered-YYYYMMDD-HHMMSS`. */
  now?: () => Date;
}

/** Two `g` presses within this many milliseconds go to the top. */
export const GG_WINDOW_MS = 500;

const LIVE_ORDER: readonly (PromptKind | "help")[] = ["help", "mark-set", "mark-jump", "export", "time", "label", "search"];
// Upstream checks the help overlay later in the replay TUI; prompts only open from normal mode, so the two orders
// behave the same, but the model keeps each one as specified.
const REPLAY_ORDER: readonly (PromptKind | "help")[] = ["mark-set", "mark-jump", "export", "time", "help", "label", "search"];

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

export function defaultExportPath(d: Date): string {
  return `./filtered-${d.getFullYear()}${pad2(d.getMonth() + 1)}${pad2(d.getDate())}-${pad2(d.getHours())}${pad2(d.getMinutes())}${pad2(d.getSeconds())}`;
}

export class TuiModel {
  readonly view: LogView;
  readonly mode: "live" | "replay";
  prompt: Prompt | null = null;
  help = false;
  /** Result of the last mark action (`mark a set`, `mark b not set`). */
  markMessage: string | null = null;
  /** Result of the last export (`Exported 12 lines to …` / `Export error: …`), or "Exporting…" while it runs. */
  exportMessage: string | null = null;
  readonly #now: () => Date;
  #lastG = Number.NEGATIVE_INFINITY;

  constructor(ring: RingBuffer<Entry>, opts: TuiModelOptions) {
    this.view = new LogView(ring);
    this.mode = opts.mode;
    this.#now = opts.now ?? (() => new Date());
  }

  /** For async results (the export finishing). */
  setExportMessage(text: string): void {
    this.exportMessage = text;
  }

  handleKey(k: Key, nowMs: number = performance.now()): TuiCommand | null {
    if (k.ctrl && k.name === "c") return { kind: "quit" };
    for (const layer of this.mode === "live" ? LIVE_ORDER : REPLAY_ORDER) {
      if (layer === "help") {
        if (this.help) return this.#helpKey(k);
      } else if (this.prompt?.kind === layer) {
        return this.#promptKey(this.prompt, k);
      }
    }
    return this.#normalKey(k, nowMs);
  }

  #helpKey(k: Key): null {
    if (k.char === "?" || k.char === "q" || k.name === "escape") this.help = false;
    return null;
  }

  #normalKey(k: Key, nowMs: number): TuiCommand | null {
    const v = this.view;
    const c = k.char;
    if (c !== "g") this.#lastG = Number.NEGATIVE_INFINITY;
    if (c === "q") return { kind: "quit" };
    if (c === "j" || k.name === "down") v.scroll(1);
    else if (c === "k" || k.name === "up") v.scroll(-1);
    else if (c === "d" || k.name === "pagedown") v.halfPage(1);
    else if (c === "u" || k.name === "pageup") v.halfPage(-1);
    else if (c === "G" || k.name === "end") v.bottom();
    else if (c === "g") {
      if (nowMs - this.#lastG <= GG_WINDOW_MS) {
        v.top();
        this.#lastG = Number.NEGATIVE_INFINITY;
      } else this.#lastG = nowMs;
    } else if (k.name === "home") v.top();
    else if (c === "f") v.toggleFollow();
    else if (c === "/") this.prompt = { kind: "search", input: "" };
    else if (c === "n") v.nextMatch(1);
    else if (c === "N") v.nextMatch(-1);
    else if (k.name === "escape") {
      if (v.highlight !== null) v.clearHighlight();
      else v.popFilter();
    } else if (c === "l") this.prompt = { kind: "label", input: "" };
    else if (c === "t") this.prompt = { kind: "time", input: "" };
    else if (c === "m") this.prompt = { kind: "mark-set", input: "" };
    else if (c === "'") this.prompt = { kind: "mark-jump", input: "" };
    else if (c === "w") this.prompt = { kind: "export", input: defaultExportPath(this.#now()) };
    else if (c === "?") this.help = true;
    else if (this.mode === "replay" && (c === " " || k.name === "space")) return { kind: "toggle-pause" };
    else if (this.mode === "replay" && c === "]") return { kind: "faster" };
    else if (this.mode === "replay" && c === "[") return { kind: "slower" };
    return null;
  }

  #promptKey(p: Prompt, k: Key): TuiCommand | null {
    if (p.kind === "mark-set" || p.kind === "mark-jump") {
      this.prompt = null;
      const c = k.char;
      if (c === null || c < "a" || c > "z" || c.length !== 1) return null;
      if (p.kind === "mark-set") {
        this.view.setMark(c);
        this.markMessage = `mark ${c} set`;
      } else if (this.view.jumpToMark(c)) this.markMessage = null;
      else this.markMessage = `mark ${c} not set`;
      return null;
    }
    if (k.name === "escape") {
      this.prompt = null;
      if (p.kind === "label") this.view.setLabelFilter(null);
      return null;
    }
    if (k.name === "return") {
      this.prompt = null;
      return this.#submit(p.kind, p.input);
    }
    if (k.name === "backspace") {
      p.input = [...p.input].slice(0, -1).join("");
      return null;
    }
    if (k.char !== null) p.input += k.char;
    return null;
  }

  #submit(kind: PromptKind, input: string): TuiCommand | null {
    const v = this.view;
    if (kind === "search") {
      if (input.startsWith("!") || input.startsWith("=")) {
        const m = input.length > 1 ? EntryMatcher.compile(input.slice(1)) : null;
        if (m) v.pushFilter({ kind: input[0] === "!" ? "hide" : "grep", matcher: m });
      } else if (input !== "") {
        const m = EntryMatcher.compile(input);
        if (m) v.setHighlight(m);
      }
    } else if (kind === "label") {
      const f = parseLabelInput(input);
      if (f !== "unusable") v.setLabelFilter(f);
    } else if (kind === "time") {
      v.jumpToTime(input);
    } else if (kind === "export") {
      const path = input.trim();
      if (path === "") return null;
      v.refresh();
      if (v.length === 0) {
        this.exportMessage = "Export error: no lines to export";
        return null;
      }
      this.exportMessage = `Exporting ${v.length} lines…`;
      return { kind: "export", path, entries: v.rows.slice() };
    }
    return null;
  }

  /** The status bar's badges, left to right (upstream §5.1 item 6); `lead` badges (replay speed) go first. */
  statusBadges(lead: Badge[] = []): Badge[] {
    const v = this.view;
    const out: Badge[] = [...lead];
    const p = this.prompt;
    if (p?.kind === "mark-set") out.push({ text: "m:_", tone: "prompt" });
    else if (p?.kind === "mark-jump") out.push({ text: "':_", tone: "prompt" });
    else if (this.markMessage) out.push({ text: this.markMessage, tone: "message" });
    if (p?.kind === "export") out.push({ text: `w:${p.input}`, tone: "prompt" });
    else if (this.exportMessage) out.push({ text: this.exportMessage, tone: this.exportMessage.startsWith("Export error") ? "error" : "message" });
    if (p?.kind === "time") out.push({ text: `t:${p.input}`, tone: "prompt" });
    if (p?.kind === "label") out.push({ text: `filter: ${p.input}`, tone: "prompt" });
    else if (v.labelFilter) out.push({ text: `FILTER: ${v.labelFilter.key}=${v.labelFilter.value}`, tone: "filter" });
    for (const f of v.stack) out.push({ text: badgeOf(f), tone: "filter" });
    if (v.stack.length > 0) out.push({ text: `[${v.length} lines]`, tone: "filter" });
    if (p?.kind === "search") out.push({ text: `/${p.input}`, tone: "prompt" });
    else if (v.highlight) out.push({ text: `[${v.matchPos + 1}/${v.matches.length}] /${v.highlight.pattern}`, tone: "search" });
    if (v.follow) out.push({ text: "FOLLOW", tone: "follow" });
    else if (v.unseen > 0) out.push({ text: `+${v.unseen} new`, tone: "new" });
    return out;
  }
}
