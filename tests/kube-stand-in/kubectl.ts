/**
 * The real kubectl as a test peer. On these machines `kubectl` is Google Cloud SDK's dispatcher, which picks
 * kubectl.1.27 … kubectl.1.33 by the server's /version minor; the versioned binaries sit beside the dispatcher's
 * real path, and kubectl.1.32 is pinned so the client does not change with the stand-in's reported version. A
 * plain kubectl (not the dispatcher) is used as it is. Each Kubectl gets its own --cache-dir, so discovery cached
 * for one stand-in never answers for another.
 *
 * The tests need kubectl 1.28 or newer (`auth whoami`, `--subresource`, server-side field validation, which the
 * stand-in's OpenAPI v3 offers; older clients validate against OpenAPI v2, whose document here has no definitions,
 * so they would check nothing). Debian
 * bookworm's kubernetes-client is 1.20, so an older kubectl counts as missing: under CI (CI set) that fails the test
 * file loudly through requirePeer, on a developer machine the tests are skipped with a line on stderr.
 */

import { existsSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { requirePeer } from "../support/peer.ts";

export const PINNED_KUBECTL = "kubectl.1.32";

export const MIN_KUBECTL_MINOR = 28;

let found: { path?: string; why?: string } | undefined;

/** The kubectl to use (the pinned one beside the dispatcher, else the one on PATH) if it is 1.28 or newer. */
export function findKubectl(): string | undefined {
  return locate().path;
}

function locate(): { path?: string; why?: string } {
  if (found) return found;
  const onPath = Bun.which("kubectl");
  if (!onPath) return (found = { why: "kubectl is not on PATH" });
  let real: string;
  try {
    real = realpathSync(onPath);
  } catch {
    return (found = { why: `${onPath} cannot be resolved` });
  }
  const pinned = join(dirname(real), PINNED_KUBECTL);
  const path = existsSync(pinned) ? pinned : real;
  const r = Bun.spawnSync([path, "version", "--client", "-o", "json"], { stdout: "pipe", stderr: "pipe" });
  let minor = NaN;
  try {
    minor = Number.parseInt(JSON.parse(r.stdout.toString()).clientVersion.minor, 10);
  } catch {}
  if (!(minor >= MIN_KUBECTL_MINOR)) return (found = { why: `${path} is not kubectl 1.${MIN_KUBECTL_MINOR} or newer (${r.stdout.toString().trim() || r.stderr.toString().trim()})` });
  return (found = { path });
}

/** True when the kubectl tests must be skipped (a developer machine without a recent kubectl); throws under CI. */
export function kubectlMissing(skipped: string): boolean {
  const l = locate();
  if (!l.path) process.stderr.write(`kubectl: ${l.why}\n`);
  return requirePeer("kubectl", l.path !== undefined, { debian: "kubectl (1.28 or newer: Google Cloud SDK's, as on the machine image; Debian's kubernetes-client 1.20 is too old)", skipped });
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
