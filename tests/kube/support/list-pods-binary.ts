/** Compiles fixtures/list-pods-entry.ts with logtap's `bun build --compile` flags and returns a runner for it. */

import { join } from "node:path";
import { COMPILE_FLAGS } from "../../../scripts/compile-flags.ts";
import { BUN, ROOT } from "../../support/cli.ts";

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function compileListPods(dir: string): (kubeconfig: string) => Promise<RunResult> {
  const exe = join(dir, "list-pods");
  const build = Bun.spawnSync([BUN, "build", join(ROOT, "tests/kube/fixtures/list-pods-entry.ts"), ...COMPILE_FLAGS, "--outfile", exe], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`compile failed: ${build.stderr.toString()}`);
  return async (kubeconfig) => {
    // No KUBECONFIG or HOME to fall back on: only the file given counts.
    const proc = Bun.spawn([exe, kubeconfig], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent" } });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { stdout, stderr, code };
  };
}
