/**
 * The files a pod that runs programs has on its node: one directory per pod with its volumes (emptyDir; configMap
 * and secret volumes written out as files; any other kind an empty directory) and the service-account files the
 * kubelet projects as `kube-api-access-*` — `token` (issued by the stand-in for the pod's service account, so RBAC
 * applies), `ca.crt` (the stand-in's CA) and `namespace`. A real pod sees them at
 * /var/run/secrets/kubernetes.io/serviceaccount; a local process cannot, so paths inside the pod are rewritten:
 * a command-line argument or environment value that is (or starts with, or has after `=`) a mount path is pointed at
 * the pod's directory (`--dir /data` → `--dir <pod dir>/volumes/data`), and logtap's in-cluster loader is told the
 * directory through its test-only LOGTAP_TEST_SERVICEACCOUNT_DIR (src/kube/kubeconfig/in-cluster.ts).
 */

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { KubeObject, ObjectStore } from "../contract.ts";
import { ContainerConfigError } from "./program-env.ts";

export const SERVICEACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

/** What the sandbox needs from the stand-in: its CA and a way to issue a service account's token. */
export interface ServiceAccountIssuer {
  caCert: string;
  /** A bound token for the account, or throws when the account does not exist. */
  issueToken(namespace: string, serviceAccount: string): string;
}

export interface PodSandbox {
  dir: string;
  /** The projected service-account directory, or undefined when the token is not mounted (automount off). */
  serviceAccountDir: string | undefined;
  /** Rewrites a path inside the pod to the local one (see the file comment). */
  localize(text: string, mounts: { mountPath: string; local: string }[]): string;
  /** Mount path → local directory for one container's volumeMounts (plus the service-account mount). */
  mountsOf(container: any): { mountPath: string; local: string }[];
  remove(): void;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "_");

function writeKeys(dir: string, data: Record<string, Buffer>, items: any[] | undefined): void {
  const entries: [string, Buffer][] = items?.length ? items.filter((i) => data[i.key] !== undefined).map((i) => [i.path, data[i.key]]) : Object.entries(data);
  for (const [path, value] of entries) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, value);
  }
}

function volumeData(store: ObjectStore, namespace: string, v: any): Record<string, Buffer> | undefined {
  const kind = v.configMap ? "configmaps" : "secrets";
  const name = v.configMap?.name ?? v.secret?.secretName;
  const o = store.get(store.resourceType("", kind)!, namespace, name) as any;
  if (!o) return undefined;
  const out: Record<string, Buffer> = {};
  for (const [k, val] of Object.entries(o.binaryData ?? {})) out[k] = Buffer.from(String(val), "base64");
  for (const [k, val] of Object.entries(o.data ?? {})) out[k] = kind === "secrets" ? Buffer.from(String(val), "base64") : Buffer.from(String(val));
  return out;
}

/** Creates the pod's directory: volumes and the service-account files. Throws ContainerConfigError when it cannot. */
export function createPodSandbox(root: string, pod: KubeObject, store: ObjectStore, issuer: ServiceAccountIssuer | undefined): PodSandbox {
  const ns = pod.metadata.namespace ?? "default";
  const dir = join(root, safe(`${ns}_${pod.metadata.name}_${pod.metadata.uid}`));
  mkdirSync(join(dir, "volumes"), { recursive: true });
  mkdirSync(join(dir, "home"), { recursive: true });
  for (const v of pod.spec?.volumes ?? []) {
    const vdir = join(dir, "volumes", safe(v.name));
    mkdirSync(vdir, { recursive: true });
    if (v.configMap || v.secret) {
      const data = volumeData(store, ns, v);
      const optional = (v.configMap ?? v.secret).optional;
      if (!data && !optional) throw new ContainerConfigError(v.configMap ? `configmap "${v.configMap.name}" not found` : `secret "${v.secret.secretName}" not found`);
      if (data) writeKeys(vdir, data, (v.configMap ?? v.secret).items);
    }
  }
  let serviceAccountDir: string | undefined;
  const saName: string = pod.spec?.serviceAccountName ?? "default";
  const sa = store.get(store.resourceType("", "serviceaccounts")!, ns, saName) as any;
  const automount = pod.spec?.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
  if (automount && issuer) {
    let token: string;
    try {
      token = issuer.issueToken(ns, saName);
    } catch (e) {
      throw new ContainerConfigError(`failed to fetch token: ${(e as Error).message}`);
    }
    serviceAccountDir = join(dir, "serviceaccount");
    mkdirSync(serviceAccountDir, { recursive: true });
    writeFileSync(join(serviceAccountDir, "token"), token, { mode: 0o600 });
    writeFileSync(join(serviceAccountDir, "ca.crt"), issuer.caCert);
    writeFileSync(join(serviceAccountDir, "namespace"), ns);
  }
  return {
    dir,
    serviceAccountDir,
    mountsOf(container: any) {
      const mounts = (container?.volumeMounts ?? []).map((m: any) => ({ mountPath: String(m.mountPath).replace(/\/+$/, "") || "/", local: join(dir, "volumes", safe(m.name), m.subPath ?? "") }));
      if (serviceAccountDir && !mounts.some((m: any) => m.mountPath === SERVICEACCOUNT_MOUNT)) mounts.push({ mountPath: SERVICEACCOUNT_MOUNT, local: serviceAccountDir });
      // The longest mount path first: /data/cache before /data.
      return mounts.sort((a: any, b: any) => b.mountPath.length - a.mountPath.length);
    },
    localize(text, mounts) {
      for (const m of mounts) {
        if (m.mountPath === "/") continue;
        const re = new RegExp(`(^|=)${m.mountPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=$|/)`, "g");
        if (re.test(text)) return text.replace(re, (_all, lead) => `${lead}${m.local}`);
      }
      return text;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
