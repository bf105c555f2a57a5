/** Runs the real logtap: the compiled binary (dist/logtap, built by `npm test`) and the sources under Bun. */

import { existsSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");
export const BINARY = join(ROOT, "dist", "logtap");
export const BUN = process.execPath;

export interface CliTarget {
  name: string;
  cmd: string[];
}

const SOURCE: CliTarget = { name: "source", cmd: [BUN, join(ROOT, "src", "cli", "main.ts")] };
const COMPILED: CliTarget = { name: "binary", cmd: [BINARY] };

/** Both targets when the binary exists; CI builds it first, so there both always run. */
export function cliTargets(): CliTarget[] {
  if (existsSync(BINARY)) return [COMPILED, SOURCE];
  if (process.env.CI) throw new Error("dist/logtap is missing: run `npm run build` before the tests");
  return [SOURCE];
}

/** The target most tests use: what users download. */
export function primaryTarget(): CliTarget {
  return cliTargets()[0]!;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], opts: { target?: CliTarget; cwd?: string; env?: Record<string, string>; stdin?: string } = {}): Promise<RunResult> {
  const target = opts.target ?? primaryTarget();
  const proc = Bun.spawn([...target.cmd, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}
