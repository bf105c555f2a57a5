/**
 * Exec credential plugins (client.authentication.k8s.io v1 and v1beta1) as client-go runs them: `aws eks
 * get-token`, `gke-gcloud-auth-plugin`, `kubelogin get-token`. The plugin gets KUBERNETES_EXEC_INFO (some pick
 * their output version from it), never a terminal; its token or certificate is cached until expirationTimestamp,
 * and a failure carries its stderr. Own code rather than client-node's ExecAuth, which reports only the stderr,
 * sets no KUBERNETES_EXEC_INFO and cannot be bounded by --timeout.
 */

import { KubeError } from "../errors/kube-error.ts";
import { formatMs } from "../errors/from-fetch.ts";
import type { ExecConfig, KubeCluster } from "../kubeconfig/types.ts";

const API_VERSIONS = new Set(["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]);
const MAX_STDERR = 1000;

export interface ExecCredential {
  token?: string;
  cert?: string;
  key?: string;
  /** ms since the epoch; undefined = valid for as long as the process runs. */
  expiresAt?: number;
}

export interface ExecPluginOptions {
  cluster: KubeCluster;
  /** The CA the kubeconfig names (PEM), passed on with provideClusterInfo. */
  caPem?: string;
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  /** What a plugin that succeeded wrote on stderr (a device-code prompt, a warning); dropped when absent. */
  onStderr?: (text: string) => void;
  now?: () => number;
}

export class ExecPlugin {
  private cached: ExecCredential | undefined;
  private running: Promise<ExecCredential> | undefined;

  constructor(
    private readonly exec: ExecConfig,
    private readonly opts: ExecPluginOptions,
  ) {}

  /** The cached credential while it is valid; otherwise one run of the plugin, shared by concurrent callers. */
  async credential(signal?: AbortSignal): Promise<ExecCredential> {
    const now = (this.opts.now ?? Date.now)();
    if (this.cached && (this.cached.expiresAt === undefined || this.cached.expiresAt > now)) return this.cached;
    this.running ??= this.run(signal).finally(() => (this.running = undefined));
    this.cached = await this.running;
    return this.cached;
  }

  /** After a 401: the server no longer takes the credential, so the next request runs the plugin again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async run(signal?: AbortSignal): Promise<ExecCredential> {
    const { exec } = this;
    const name = exec.command.split("/").pop()!;
    if (!API_VERSIONS.has(exec.apiVersion)) {
      throw new KubeError(`exec plugin ${name}: unsupported apiVersion "${exec.apiVersion}" (client.authentication.k8s.io/v1 or v1beta1)`, "config");
    }
    if (exec.interactiveMode === "Always") {
      throw new KubeError(`exec plugin ${name} needs an interactive terminal (interactiveMode: Always), which logtap does not give it`, "credentials");
    }
    const env: Record<string, string | undefined> = { ...(this.opts.env ?? process.env), KUBERNETES_EXEC_INFO: JSON.stringify(this.execInfo()) };
    for (const e of exec.env) env[e.name] = e.value;
    let proc;
    try {
      proc = Bun.spawn([exec.command, ...exec.args], { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    } catch (e) {
      const hint = exec.installHint ? `: ${oneLine(exec.installHint)}` : "";
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new KubeError(`exec plugin ${exec.command} not found${exec.command.includes("/") ? "" : " on PATH"}${hint}`, "missing-file");
      throw new KubeError(`exec plugin ${exec.command} could not be started: ${(e as Error).message}${hint}`, "credentials");
    }
    // Raced, not awaited to the end: a killed plugin's own children (a shell's `sleep`) may keep its pipes open.
    let stop!: (e: unknown) => void;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    const timeout = () => new KubeError(`exec plugin ${name}: timeout: no credential within ${formatMs(this.opts.timeoutMs)}`, "timeout");
    const timer = this.opts.timeoutMs > 0 && Number.isFinite(this.opts.timeoutMs) ? setTimeout(() => stop(timeout()), this.opts.timeoutMs) : undefined;
    // The request's deadline is ours too: say that it was the plugin that took too long.
    const onAbort = () => stop((signal!.reason as Error | undefined)?.name === "TimeoutError" ? timeout() : signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const output = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      const [stdout, stderr, code] = await Promise.race([output, stopped]);
      if (code !== 0) {
        const why = oneLine(stderr).slice(0, MAX_STDERR);
        throw new KubeError(`exec plugin ${name} failed with exit code ${code}${why ? `: ${why}` : " (nothing on stderr)"}`, "credentials");
      }
      if (stderr.trim() !== "") this.opts.onStderr?.(stderr);
      return this.parse(stdout, name);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
  }

  private parse(stdout: string, name: string): ExecCredential {
    const bad = (why: string) => new KubeError(`exec plugin ${name}: ${why}`, "credentials");
    let out: { kind?: string; apiVersion?: string; status?: Record<string, unknown> };
    try {
      out = JSON.parse(stdout);
    } catch {
      throw bad(`output is not an ExecCredential (not JSON): ${oneLine(stdout).slice(0, 200)}`);
    }
    if (out?.kind !== "ExecCredential") throw bad(`output is not an ExecCredential (kind "${out?.kind}")`);
    if (out.apiVersion !== this.exec.apiVersion) throw bad(`is configured for ${this.exec.apiVersion} but returned ${out.apiVersion}`);
    const s = out.status ?? {};
    const str = (k: string) => (typeof s[k] === "string" && s[k] !== "" ? (s[k] as string) : undefined);
    const token = str("token");
    const cert = str("clientCertificateData");
    const key = str("clientKeyData");
    if ((cert === undefined) !== (key === undefined)) throw bad("returned a client certificate without its key, or a key without its certificate");
    if (token === undefined && cert === undefined) throw bad("returned neither a token nor a client certificate");
    const exp = str("expirationTimestamp");
    const expiresAt = exp === undefined ? undefined : Date.parse(exp);
    if (expiresAt !== undefined && Number.isNaN(expiresAt)) throw bad(`expirationTimestamp "${exp}" is not a time`);
    return { token, cert, key, expiresAt };
  }

  /** KUBERNETES_EXEC_INFO: never interactive; the cluster only when the kubeconfig asks for it (provideClusterInfo). */
  private execInfo(): unknown {
    const spec: Record<string, unknown> = { interactive: false };
    if (this.exec.provideClusterInfo) {
      const c = this.opts.cluster;
      spec.cluster = {
        server: c.server,
        "tls-server-name": c.tlsServerName,
        "insecure-skip-tls-verify": c.insecureSkipTlsVerify,
        "certificate-authority-data": this.opts.caPem === undefined ? undefined : Buffer.from(this.opts.caPem).toString("base64"),
        "proxy-url": c.proxyUrl,
        config: c.execExtension,
      };
    }
    return { kind: "ExecCredential", apiVersion: this.exec.apiVersion, spec };
  }
}

const oneLine = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("; ");
