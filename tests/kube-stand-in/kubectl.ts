/**
 * The real kubectl as a test peer. On these machines `kubectl` is Google Cloud SDK's dispatcher, which picks
 * kubectl.1.27 … kubectl.1.33 by the server's /version minor; the versioned binaries sit beside the dispatcher's
 * real path, and kubectl.1.32 is pinned so the client does not change with the stand-in's reported version. A
 * plain kubectl (not the dispatcher) is used as it is. Each Kubectl gets its own --cache-dir, so discovery cached
 * for one stand-in never answers for another.
 *
 * kubectl is not a Debian package (Google's apt repository ships it, with the SDK), so `.ci/run` cannot install it
 * with the other peers; under CI (CI set) a missing kubectl fails the test file loudly through requirePeer.
 */

import { existsSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { requirePeer } from "../support/peer.ts";

export const PINNED_KUBECTL = "kubectl.1.32";

export function findKubectl(): string | undefined {
  const onPath = Bun.which("kubectl");
  if (!onPath) return undefined;
  let real: string;
  try {
    real = realpathSync(onPath);
  } catch {
    return undefined;
  }
  const pinned = join(dirname(real), PINNED_KUBECTL);
  if (existsSync(pinned)) return pinned;
  return real;
}

/** True when the kubectl tests must be skipped (a developer machine without it); throws under CI. */
export function kubectlMissing(skipped: string): boolean {
  return requirePeer("kubectl", findKubectl() !== undefined, { debian: "kubectl (Google Cloud SDK's apt repository)", skipped });
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  readonly bin: string;
  readonly cacheDir: string;

  constructor(
    readonly kubeconfig: string,
    o: { bin?: string; cacheDir?: string } = {},
  ) {
    const bin = o.bin ?? findKubectl();
    if (!bin) throw new Error("kubectl is not installed");
    this.bin = bin;
    this.cacheDir = o.cacheDir ?? mkdtempSync(join(tmpdir(), "logtap-kubectl-cache-"));
  }

  /** Another identity, sharing this one's discovery cache (the cache is per server, not per user). */
  as(kubeconfig: string): Kubectl {
    return new Kubectl(kubeconfig, { bin: this.bin, cacheDir: this.cacheDir });
  }

  async run(args: string[], o: { stdin?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
    const proc = Bun.spawn([this.bin, "--kubeconfig", this.kubeconfig, "--cache-dir", this.cacheDir, ...args], {
      stdin: o.stdin === undefined ? "ignore" : new Blob([o.stdin]),
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, KUBECONFIG: "", HOME: this.cacheDir, NO_COLOR: "1" },
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), o.timeoutMs ?? 30_000);
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    return { code, stdout, stderr };
  }

  /** Runs and throws with kubectl's stderr unless it exits 0; returns stdout. */
  async ok(args: string[], o: { stdin?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.run(args, o);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** `kubectl get ... -o json`, parsed. */
  async json(args: string[]): Promise<any> {
    return JSON.parse(await this.ok([...args, "-o", "json"]));
  }
}
