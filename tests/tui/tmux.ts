/**
 * A real terminal for end-to-end TUI tests: one program in a detached tmux session on its own server socket
 * (`tmux -L`), keys sent with send-keys, the screen read with capture-pane, polled with a bounded timeout.
 * After the program exits its shell records the exit status and stays, so the terminal state the program left
 * (alternate screen, cursor) can still be read.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function hasTmux(): boolean {
  return Bun.spawnSync(["tmux", "-V"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
}

let counter = 0;

export interface PaneState {
  /** The program's exit status once it has exited, else null. */
  status: number | null;
  alternate: boolean;
  cursorVisible: boolean;
}

export class TmuxSession {
  readonly socket: string;
  readonly #tmp: string;

  private constructor(socket: string) {
    this.socket = socket;
    this.#tmp = mkdtempSync(join(tmpdir(), "logtap-tmux-state-"));
  }

  /** `command` (a shell command line) runs in `cwd` under `sh`; its exit status is recorded when it ends. */
  static start(command: string, o: { cwd: string; width?: number; height?: number; env?: Record<string, string> }): TmuxSession {
    const s = new TmuxSession(`logtap-test-${process.pid}-${Date.now()}-${counter++}`);
    const env = Object.entries({ TERM: "xterm-256color", ...o.env }).map(([k, v]) => `${k}=${shellQuote(v)}`).join(" ");
    const exitFile = shellQuote(join(s.#tmp, "exit"));
    s.#tmux(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", String(o.width ?? 100), "-y", String(o.height ?? 30), "-c", o.cwd,
      `export ${env}; ${command}; echo $? > ${exitFile}; exec sleep 3600`]);
    return s;
  }

  #tmux(args: string[]): string {
    const r = Bun.spawnSync(["tmux", "-L", this.socket, ...args], { stdout: "pipe", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr.toString()}`);
    return r.stdout.toString();
  }

  /** The visible screen, one string per row (trailing spaces trimmed). */
  screen(): string[] {
    return this.#tmux(["capture-pane", "-p", "-t", "main"]).replace(/\n$/, "").split("\n").map((l) => l.trimEnd());
  }

  /** Literal text (each character typed). */
  type(text: string): void {
    this.#tmux(["send-keys", "-t", "main", "-l", text]);
  }

  /** tmux key names: Enter, Escape, Up, Down, Space, C-c, q … */
  keys(...names: string[]): void {
    this.#tmux(["send-keys", "-t", "main", ...names]);
  }

  resize(width: number, height: number): void {
    this.#tmux(["resize-window", "-t", "main", "-x", String(width), "-y", String(height)]);
  }

  /** The program's pid (the child of the pane's shell) while it runs. */
  pid(): number {
    const shell = this.#tmux(["display-message", "-p", "-t", "main", "#{pane_pid}"]).trim();
    const r = Bun.spawnSync(["pgrep", "-P", shell], { stdout: "pipe" });
    const pid = Number(r.stdout.toString().trim().split("\n")[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error("the program is not running");
    return pid;
  }

  state(): PaneState {
    const out = this.#tmux(["display-message", "-p", "-t", "main", "#{alternate_on} #{cursor_flag}"]).trim().split(" ");
    const exitFile = join(this.#tmp, "exit");
    const text = existsSync(exitFile) ? readFileSync(exitFile, "utf8").trim() : "";
    return { status: text === "" ? null : Number(text), alternate: out[0] === "1", cursorVisible: out[1] === "1" };
  }

  /** Polls the screen until `pred` holds; throws with the last screen after `timeoutMs`. */
  async waitFor(pred: (screen: string[], text: string) => boolean, timeoutMs = 10_000, what = "condition"): Promise<string[]> {
    const end = Date.now() + timeoutMs;
    let last: string[] = [];
    for (;;) {
      last = this.screen();
      if (pred(last, last.join("\n"))) return last;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${last.join("\n")}`);
      await Bun.sleep(50);
    }
  }

  async waitForExit(timeoutMs = 15_000): Promise<PaneState> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const st = this.state();
      if (st.status !== null) return st;
      if (Date.now() > end) throw new Error(`program did not exit; screen:\n${this.screen().join("\n")}`);
      await Bun.sleep(50);
    }
  }

  kill(): void {
    Bun.spawnSync(["tmux", "-L", this.socket, "kill-server"], { stdout: "ignore", stderr: "ignore" });
    rmSync(this.#tmp, { recursive: true, force: true });
  }
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
