/** A key press as the TUI models see it, independent of the terminal library. */

export interface Key {
  /** Named keys: "up", "down", "escape", "return", "backspace", "space", …; letters by their lower-case name. */
  name: string;
  /** The printable character typed ("G", "/", "é", " "), or null for control and named non-printing keys. */
  char: string | null;
  ctrl: boolean;
}

/** What terminal libraries report (opentui's KeyEvent has these fields). */
export interface RawKeyEvent {
  name?: string;
  sequence?: string;
  ctrl?: boolean;
  meta?: boolean;
}

export function keyFrom(e: RawKeyEvent): Key {
  const seq = e.sequence ?? "";
  const ctrl = e.ctrl === true;
  let char: string | null = null;
  if (!ctrl && !e.meta && seq !== "") {
    const cps = [...seq];
    const cp = seq.codePointAt(0)!;
    if (cps.length === 1 && cp >= 0x20 && cp !== 0x7f) char = seq;
  }
  return { name: e.name ?? (char ?? ""), char, ctrl };
}

/** Test and script helper: `key("j")`, `key("escape")`, `key("c", { ctrl: true })`. */
export function key(nameOrChar: string, mods: { ctrl?: boolean } = {}): Key {
  const named = ["up", "down", "left", "right", "escape", "return", "backspace", "tab", "pageup", "pagedown", "home", "end"];
  if (named.includes(nameOrChar)) return { name: nameOrChar, char: null, ctrl: mods.ctrl === true };
  if (nameOrChar === " " || nameOrChar === "space") return { name: "space", char: mods.ctrl ? null : " ", ctrl: mods.ctrl === true };
  return { name: nameOrChar.toLowerCase(), char: mods.ctrl ? null : nameOrChar, ctrl: mods.ctrl === true };
}
