/**
 * Opens the real terminal for a TUI: alternate screen, raw keys, no mouse capture (so the terminal's own text
 * selection keeps working). opentui restores the terminal when the renderer is destroyed — by us on quit, or by its
 * own handlers on SIGINT/SIGTERM/SIGHUP — and the TUIs end on its "destroy" event.
 */

import type { CliRenderer } from "@opentui/core";

export const TARGET_FPS = 30;

export async function openTerminal(): Promise<CliRenderer> {
  const { createCliRenderer } = await import("@opentui/core");
  return createCliRenderer({
    screenMode: "alternate-screen",
    exitOnCtrlC: false,
    exitSignals: ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"],
    targetFps: TARGET_FPS,
    maxFps: 60,
    useMouse: false,
    consoleMode: "disabled",
    // Re-lay out almost at once on a resize (the default waits 100 ms).
    debounceDelay: 1,
  });
}

/** Destroys the renderer (restoring the terminal) and waits until the terminal is really back. */
export async function closeTerminal(renderer: CliRenderer): Promise<void> {
  if (!renderer.isDestroyed) renderer.destroy();
  // Bounded, and the timer must not keep the process alive once the terminal is back.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 2000);
    timer.unref?.();
  });
  await Promise.race([renderer.closed.catch(() => {}), limit]);
  clearTimeout(timer);
}

/**
 * Opens the terminal while holding SIGINT/SIGTERM/SIGHUP: a signal that arrives while opentui is still loading
 * would otherwise kill the process before anything restores the terminal or finishes the capture. Returns the
 * renderer and whether such a signal came (then the caller ends at once, the normal way).
 */
export async function openTerminalGuarded(): Promise<{ renderer: CliRenderer; signalled: boolean }> {
  let signalled = false;
  const hold = () => {
    signalled = true;
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const sig of signals) process.on(sig, hold);
  try {
    const renderer = await openTerminal();
    return { renderer, signalled };
  } finally {
    for (const sig of signals) process.off(sig, hold);
  }
}

const HELD_LIMIT = 1 << 20;

/**
 * While a TUI owns the screen, whatever else writes to stderr (warnings, write errors, webhook failures) would
 * scribble over it: such output is held and written out, in order, once the terminal is restored. Returns the
 * function that restores stderr and writes what was held (at most 1 MiB; the rest is counted).
 */
export function holdStderr(): () => void {
  const stderr = process.stderr;
  const original = stderr.write;
  const held: string[] = [];
  let size = 0;
  let dropped = 0;
  stderr.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    if (size + text.length <= HELD_LIMIT) {
      held.push(text);
      size += text.length;
    } else dropped += text.length;
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  } as typeof stderr.write;
  return () => {
    stderr.write = original;
    if (held.length > 0) stderr.write(held.join(""));
    if (dropped > 0) stderr.write(`(${dropped} more characters of messages were written while the TUI was open)\n`);
  };
}
