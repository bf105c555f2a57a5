/** Runs the real openssl (a test peer) in `cwd`, quietly; a failure throws with what it said. */
export function openssl(cwd: string, ...args: string[]): void {
  const r = Bun.spawnSync(["openssl", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr.toString()}`);
}
