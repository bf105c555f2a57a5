/** Writes kubeconfig files for tests, as YAML, the way kubectl writes them. */

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KubeconfigSpec {
  clusters?: Record<string, Record<string, unknown>>;
  users?: Record<string, Record<string, unknown>>;
  contexts?: Record<string, Record<string, unknown>>;
  current?: string;
}

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const doc: Record<string, unknown> = {
    apiVersion: "v1",
    kind: "Config",
    clusters: Object.entries(spec.clusters ?? {}).map(([name, cluster]) => ({ name, cluster })),
    users: Object.entries(spec.users ?? {}).map(([name, user]) => ({ name, user })),
    contexts: Object.entries(spec.contexts ?? {}).map(([name, context]) => ({ name, context })),
  };
  if (spec.current !== undefined) doc["current-context"] = spec.current;
  return Bun.YAML.stringify(doc, null, 2);
}

export function kubeDir(): string {
  return mkdtempSync(join(tmpdir(), "logtap-kube-"));
}

export function writeKubeconfig(dir: string, name: string, spec: KubeconfigSpec): string {
  const path = join(dir, name);
  writeFileSync(path, kubeconfigYaml(spec));
  return path;
}

/** One cluster, one user, one context "test" for a fake API server. */
export function singleContext(server: string, cluster: Record<string, unknown>, user: Record<string, unknown>, namespace?: string): KubeconfigSpec {
  return {
    clusters: { test: { server, ...cluster } },
    users: { tester: user },
    contexts: { test: { cluster: "test", user: "tester", ...(namespace ? { namespace } : {}) } },
    current: "test",
  };
}
