/**
 * The stand-in started by hand, as `npm run kube-stand-in -- --kubeconfig FILE` does (package.json's script runs
 * this main.ts with bun): exactly one line `ready <url>` on stdout once it answers, a kubeconfig that kubectl
 * uses as the admin, another identity with --user/--group, a clean exit on SIGTERM, and a usage error.
 */

import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { Kubectl, kubectlMissing } from "./kubectl.ts";
import { waitFor } from "../support/wait-for.ts";

const skip = kubectlMissing("the stand-in CLI tests");
const MAIN = join(import.meta.dir, "main.ts");

let procs: Subprocess[] = [];
afterEach(() => {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
  procs = [];
});

async function start(args: string[]): Promise<{ proc: Subprocess<"ignore", "pipe", "pipe">; stdout: () => string; stderr: () => string; url: string }> {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  procs.push(proc);
  let out = "";
  let err = "";
  const decoder = new TextDecoder();
  void (async () => {
    for await (const c of proc.stdout) out += decoder.decode(c);
  })();
  void (async () => {
    for await (const c of proc.stderr) err += decoder.decode(c);
  })();
  await waitFor(() => out.includes("\n") || proc.exitCode !== null, 20_000, "the ready line");
  const m = /^ready (https:\/\/127\.0\.0\.1:\d+)\n$/.exec(out);
  if (!m) throw new Error(`no ready line: stdout ${JSON.stringify(out)}, stderr ${err}`);
  return { proc, stdout: () => out, stderr: () => err, url: m[1] };
}

describe.skipIf(skip)("kube-stand-in CLI", () => {
  test("prints one ready line, writes an admin kubeconfig kubectl uses, and exits 0 on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "logtap-stand-in-cli-"));
    const kubeconfig = join(dir, "kubeconfig");
    const s = await start(["--kubeconfig", kubeconfig, "--no-controllers"]);
    const text = readFileSync(kubeconfig, "utf8");
    expect(text).toContain(`server: ${s.url}`);
    expect(text).toContain("certificate-authority-data:");
    expect(text).toContain("client-certificate-data:");
    expect(text).toContain('namespace: "default"');
    const kubectl = new Kubectl(kubeconfig);
    expect(await kubectl.ok(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"])).toBe('admin ["system:masters","system:authenticated"]');
    expect(await kubectl.ok(["get", "ns", "-o", "name"])).toBe("namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n");
    s.proc.kill("SIGTERM");
    expect(await s.proc.exited).toBe(0);
    expect(s.stdout()).toBe(`ready ${s.url}\n`);
  });

  test("--user, --group, --namespace and --version shape the identity and the server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "logtap-stand-in-cli-"));
    const kubeconfig = join(dir, "kubeconfig");
    const s = await start(["--kubeconfig", kubeconfig, "--user", "erin", "--group", "dev", "--group", "ops", "--namespace", "kube-system", "--version", "v1.29.4", "--no-controllers"]);
    const kubectl = new Kubectl(kubeconfig);
    expect(await kubectl.ok(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"])).toBe('erin ["dev","ops","system:authenticated"]');
    const version = JSON.parse(await kubectl.ok(["version", "-o", "json"]));
    expect(version.serverVersion.gitVersion).toBe("v1.29.4");
    const denied = await kubectl.run(["get", "pods"]);
    expect(denied.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "erin" cannot list resource "pods" in API group "" in the namespace "kube-system"\n');
    s.proc.kill("SIGTERM");
    expect(await s.proc.exited).toBe(0);
  });

  test("a missing --kubeconfig is a usage error (exit 2)", async () => {
    const r = Bun.spawnSync([process.execPath, MAIN], { stdout: "pipe", stderr: "pipe" });
    expect(r.exitCode).toBe(2);
    expect(r.stdout.toString()).toBe("");
    expect(r.stderr.toString()).toContain("--kubeconfig is required");
  });
});
