/**
 * Whether a command should open its TUI: only on an interactive terminal (stdin and stdout), not with `TERM=dumb`,
 * and not when asked for plain output (`--headless`, `open --format`). No terminal library is loaded here.
 *
 * Terminals are asked with isatty, never through `process.stdout`: once that stream exists (it makes a pipe on fd 1
 * non-blocking), Bun 1.4.5's `Bun.write(Bun.stdout, …)` — how all machine output is written (src/common/stdout.ts) —
 * repeats or drops 64 KiB runs when a slow reader fills the pipe (`logtap open cap | slow` printed 242 lines twice).
 */

import { isatty } from "node:tty";

export interface TuiChoice {
  headless?: boolean;
  /** A plain output format was asked for. */
  format?: string;
}

export function tuiWanted(choice: TuiChoice, env: NodeJS.ProcessEnv = process.env, terminals = { stdin: isatty(0), stdout: isatty(1) }): boolean {
  if (choice.headless || choice.format !== undefined) return false;
  if (env.TERM === "dumb") return false;
  return terminals.stdout && terminals.stdin;
}

/** Whether stdout is a terminal (see the module comment for why not `process.stdout.isTTY`). */
export const stdoutIsTerminal = (): boolean => isatty(1);

export const DEFAULT_TUI_BUFFER = 10_000;
const MAX_TUI_BUFFER = 1_000_000;

/** `--tui-buffer`: entries kept in the log pane's ring. Returns an error message or the number. */
export function parseTuiBuffer(text: string | undefined): number | string {
  if (text === undefined) return DEFAULT_TUI_BUFFER;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1) return `invalid --tui-buffer: "${text}" (a whole number ≥ 1)`;
  if (n > MAX_TUI_BUFFER) return `--tui-buffer ${n} exceeds maximum of ${MAX_TUI_BUFFER}`;
  return n;
}
