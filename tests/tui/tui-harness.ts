/** Drives the TUIs on opentui's headless test renderer: press keys as a terminal would send them, read frames. */

import { createTestRenderer, type TestRendererSetup } from "@opentui/core/testing";
import type { RGBA } from "@opentui/core";

export interface Harness {
  t: TestRendererSetup;
  /** Presses keys one by one ("j", "G", "ESCAPE", "RETURN", "ARROW_DOWN", " "), then draws a frame. */
  press(...keys: string[]): Promise<void>;
  /** Types text into a prompt and presses Enter (unless `submit` is false). */
  type(text: string, submit?: boolean): Promise<void>;
  /** Draws and returns the screen as text lines (trailing spaces trimmed). */
  lines(): Promise<string[]>;
  /** Foreground/background of the first cell of `needle` on the screen. */
  styleOf(needle: string): Promise<{ fg: RGBA; bg: RGBA; attributes: number } | null>;
}

export async function newRenderer(width = 100, height = 24, kittyKeyboard = false): Promise<TestRendererSetup> {
  return createTestRenderer({ width, height, exitOnCtrlC: false, kittyKeyboard });
}

export function harness(t: TestRendererSetup, afterKey: () => void = () => {}): Harness {
  const h: Harness = {
    t,
    async press(...keys) {
      for (const k of keys) {
        if (k === "ESCAPE") {
          t.mockInput.pressEscape();
          // A lone ESC is told apart from an escape sequence by a short timeout.
          await Bun.sleep(40);
        } else t.mockInput.pressKey(k as never);
        afterKey();
      }
      await t.renderOnce();
    },
    async type(text, submit = true) {
      for (const c of text) t.mockInput.pressKey(c as never);
      if (submit) t.mockInput.pressKey("RETURN");
      afterKey();
      await t.renderOnce();
    },
    async lines() {
      await t.renderOnce();
      const out = t.captureCharFrame().split("\n").map((l) => l.trimEnd());
      if (out.length > t.renderer.height) out.length = t.renderer.height;
      return out;
    },
    async styleOf(needle) {
      await t.renderOnce();
      const frame = t.captureSpans();
      for (const line of frame.lines) {
        for (const span of line.spans) {
          if (span.text.includes(needle)) return { fg: span.fg, bg: span.bg, attributes: span.attributes };
        }
      }
      return null;
    },
  };
  return h;
}

export function sameColour(a: RGBA | undefined, b: RGBA | undefined): boolean {
  if (!a || !b) return false;
  return [0, 1, 2, 3].every((i) => Math.abs(a.buffer[i]! - b.buffer[i]!) < 1e-6);
}
