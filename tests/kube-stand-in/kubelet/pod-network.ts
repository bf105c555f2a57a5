/**
 * The pod network for programs, given to each program process by LD_PRELOAD of pod-net/pod-net.c (see there): a
 * wildcard bind lands on the pod's own loopback IP, cluster DNS names resolve, and ClusterIPs forward to ready
 * endpoints like kube-proxy. This file builds the shim with the machine's C compiler (once per source version,
 * cached in the temp directory), keeps the table it reads up to date from the store — Services and their ready
 * endpoints, headless Services and StatefulSet pod names, and `kubernetes.default` → the stand-in — and gives a
 * process the environment that switches it on. Without a C compiler, programs still run, with a warning: they bind
 * what they ask for (0.0.0.0 is then every pod's address) and know no cluster names.
 */

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject, ObjectStore, ResourceType } from "../contract.ts";
import { serviceEndpoints, type ServicePort } from "../service-endpoints.ts";
import { reachablePodIP } from "./loopback-ips.ts";

const SOURCE = join(import.meta.dir, "pod-net", "pod-net.c");
let built: { path?: string; why?: string } | undefined;

/** The shim's shared library, compiled on first use; undefined (with the reason once on stderr) when it cannot be. */
export function podNetLibrary(): string | undefined {
  if (built) return built.path;
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(readFileSync(SOURCE));
  const out = join(tmpdir(), `logtap-stand-in-pod-net-${hasher.digest("hex").slice(0, 16)}.so`);
  if (existsSync(out)) return (built = { path: out }).path;
  const cc = Bun.which("cc") ?? Bun.which("gcc") ?? Bun.which("clang");
  if (!cc) built = { why: "no C compiler (cc, gcc or clang) on PATH" };
  else {
    const tmp = `${out}.${process.pid}.tmp`;
    const r = Bun.spawnSync([cc, "-shared", "-fPIC", "-O2", "-Wall", "-o", tmp, SOURCE, "-ldl", "-lpthread"], { stdout: "pipe", stderr: "pipe" });
    if (r.exitCode === 0) {
      // Another test process may be building it too: the rename makes either copy the one.
      renameSync(tmp, out);
      built = { path: out };
    } else built = { why: `${cc} failed: ${r.stderr.toString().trim()}` };
  }
  if (built.why) process.stderr.write(`kube stand-in: programs run without the pod network shim (${built.why}): wildcard binds are not per pod, cluster DNS names do not resolve\n`);
  return built.path;
}

const fqdn = (name: string, ns: string) => `${name}.${ns}.svc.cluster.local`.toLowerCase();

/** The table pod-net.c reads: `host NAME IP...` and `svc IP PORT IP:PORT...` lines. */
export function networkTable(store: ObjectStore, api: { host: string; port: number } | undefined): string {
  const services = store.list(store.resourceType("", "services")!, undefined).items;
  const pods = store.list(store.resourceType("", "pods")!, undefined).items;
  const lines: string[] = [];
  for (const svc of services) {
    const ns = svc.metadata.namespace!;
    const name = svc.metadata.name!;
    const ip: string | undefined = svc.spec?.clusterIP;
    const ports: ServicePort[] = svc.spec?.ports ?? [];
    const isApi = ns === "default" && name === "kubernetes";
    if (ip === "None") {
      // Headless: the name is its ready pods' addresses, and each pod with hostname + subdomain has its own name.
      const ips = [...new Set(ports.flatMap((p) => serviceEndpoints(store, svc, p)).map((e) => e.ip).filter(reachablePodIP))];
      if (ips.length) lines.push(`host ${fqdn(name, ns)} ${ips.join(" ")}`);
      for (const pod of pods) {
        if (pod.metadata.namespace !== ns || pod.spec?.subdomain !== name || !pod.spec?.hostname || !reachablePodIP(pod.status?.podIP)) continue;
        lines.push(`host ${pod.spec.hostname}.${fqdn(name, ns)} ${pod.status.podIP}`);
      }
      continue;
    }
    if (!ip) continue;
    lines.push(`host ${fqdn(name, ns)} ${ip}`);
    for (const p of ports) {
      const to = isApi && api ? [`${api.host}:${api.port}`] : serviceEndpoints(store, svc, p).filter((e) => reachablePodIP(e.ip)).map((e) => `${e.ip}:${e.port}`);
      lines.push(`svc ${ip} ${p.port} ${to.join(" ")}`.trimEnd());
    }
  }
  return `${lines.join("\n")}\n`;
}

export class PodNetwork {
  readonly #tablePath: string;
  #api: { host: string; port: number } | undefined;
  #unsubscribe: (() => void) | undefined;
  #queued = false;
  #last = "";

  constructor(
    private readonly store: ObjectStore,
    dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.#tablePath = join(dir, "pod-network.table");
  }

  /** The environment that puts a process on the pod network, or {} without the shim. Starts keeping the table. */
  env(pod: KubeObject, api: { host: string; port: number } | undefined): Record<string, string> {
    const lib = podNetLibrary();
    if (!lib) return {};
    this.#api ??= api;
    if (!this.#unsubscribe) {
      const watched = (t: ResourceType) => t.group === "" && (t.resource === "services" || t.resource === "pods");
      this.#unsubscribe = this.store.onChange((t) => watched(t) && this.#schedule());
    }
    this.#write();
    const env: Record<string, string> = { LD_PRELOAD: lib, STAND_IN_NET_TABLE: this.#tablePath, STAND_IN_PARENT_PID: String(process.pid) };
    // A pod that got its address before its image was mapped has a 10.244.x.y one, which no bind could take.
    if (reachablePodIP(pod.status?.podIP)) env.STAND_IN_POD_IP = pod.status.podIP;
    if (pod.metadata.namespace) env.STAND_IN_POD_NAMESPACE = pod.metadata.namespace;
    return env;
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** One rewrite for a burst of changes (pod status writes come in bursts). */
  #schedule(): void {
    if (this.#queued) return;
    this.#queued = true;
    setTimeout(() => {
      this.#queued = false;
      if (this.#unsubscribe) this.#write();
    }, 0);
  }

  #write(): void {
    const text = networkTable(this.store, this.#api);
    if (text === this.#last) return;
    this.#last = text;
    // Renamed into place: a program reading it never sees half a table.
    const tmp = `${this.#tablePath}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.#tablePath);
  }
}
