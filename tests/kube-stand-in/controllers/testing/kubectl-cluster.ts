/**
 * Test support: a stand-in over HTTPS with the controllers and the kubelet attached (one fast clock), and the real
 * kubectl run against it with its own --cache-dir. kubectl is a peer: tests skip loudly without it, and fail
 * under CI (tests/support/peer.ts).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requirePeer } from "../../../support/peer.ts";
import { type StandIn, startStandIn } from "../../stand-in.ts";
import { type KubeletComponent, createKubelet } from "../../kubelet/index.ts";
import { createControllers } from "../index.ts";

export function kubectlMissing(skipped: string): boolean {
  return requirePeer("kubectl", Bun.which("kubectl") !== null, { debian: "kubectl", skipped });
}

export interface KubectlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface KubectlCluster {
  standIn: StandIn;
  kubelet: KubeletComponent["kubelet"];
  kubeconfig: string;
  /** Runs kubectl (never synchronously: the API server answers on this process's event loop). */
  kubectl(args: string[], opts?: { stdin?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** Starts kubectl and hands back the process, for streams (`logs -f`). */
  spawnKubectl(args: string[]): Bun.Subprocess<"ignore", "pipe", "pipe">;
  apply(yaml: string): Promise<void>;
  stop(): Promise<void>;
}

export async function kubectlCluster(opts: { timeScale?: number } = {}): Promise<KubectlCluster> {
  const controllers = createControllers({ timeScale: opts.timeScale ?? 0.01 });
  const kubelet = createKubelet({ clock: controllers.clock });
  const standIn = await startStandIn({ components: [controllers, kubelet] });
  const kubeconfig = standIn.kubeconfig();
  const cacheDir = mkdtempSync(join(tmpdir(), "logtap-kubectl-cache-"));
  const base = ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir];
  const spawnKubectl = (args: string[]) => Bun.spawn(["kubectl", ...base, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const kubectl = async (args: string[], o: { stdin?: string; timeoutMs?: number } = {}): Promise<KubectlResult> => {
    const p = Bun.spawn(["kubectl", ...base, ...args], { stdin: o.stdin === undefined ? "ignore" : new Blob([o.stdin]), stdout: "pipe", stderr: "pipe" });
    const timer = setTimeout(() => p.kill(), o.timeoutMs ?? 30_000);
    const [stdout, stderr, exitCode] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    clearTimeout(timer);
    return { exitCode, stdout, stderr };
  };
  return {
    standIn,
    kubelet: kubelet.kubelet,
    kubeconfig,
    kubectl,
    spawnKubectl,
    async apply(yaml) {
      const r = await kubectl(["apply", "-f", "-"], { stdin: yaml });
      if (r.exitCode !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
    },
    async stop() {
      await standIn.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
