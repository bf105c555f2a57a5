/** Starts a real `logtap recv` on a free loopback port and stops it with a real signal. */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { primaryTarget, type CliTarget } from "./cli.ts";
import { streamText } from "./stream-text.ts";

export interface RunningReceiver {
  url: string;
  dir: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  stderr(): string;
  /** Sends the signal and waits for exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number; stderr: string }>;
  metrics(): Promise<Record<string, number>>;
}

export function tempDir(prefix = "logtap-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startReceiver(extraArgs: string[] = [], opts: { target?: CliTarget; dir?: string; env?: Record<string, string> } = {}): Promise<RunningReceiver> {
  const target = opts.target ?? primaryTarget();
  const dir = opts.dir ?? join(tempDir(), "capture");
  const proc = Bun.spawn([...target.cmd, "recv", "--headless", "--listen", "127.0.0.1:0", "--dir", dir, ...extraArgs], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
  });
  const err = streamText(proc.stderr);
  const deadline = Date.now() + 15_000;
  let url = "";
  while (Date.now() < deadline) {
    const m = /listening on (\S+),/.exec(err.text());
    if (m) {
      url = `http://${m[1]}`;
      break;
    }
    if (proc.exitCode !== null) break;
    await Bun.sleep(20);
  }
  if (!url) {
    proc.kill("SIGKILL");
    throw new Error(`receiver did not start: ${err.text()}`);
  }
  return {
    url,
    dir,
    proc,
    stderr: err.text,
    async stop(signal = "SIGTERM") {
      proc.kill(signal);
      const code = await proc.exited;
      await err.done;
      return { code, stderr: err.text() };
    },
    async metrics() {
      const text = await (await fetch(`${url}/metrics`)).text();
      const out: Record<string, number> = {};
      for (const line of text.split("\n")) {
        if (line.startsWith("#") || line.trim() === "") continue;
        const i = line.lastIndexOf(" ");
        out[line.slice(0, i)] = Number(line.slice(i + 1));
      }
      return out;
    },
  };
}
