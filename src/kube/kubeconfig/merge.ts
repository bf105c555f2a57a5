/**
 * kubectl's merge of several kubeconfig files (client-go clientcmd): the first file to define a cluster, user or
 * context name wins and later definitions of that name are ignored; the first current-context set wins too.
 * (client-node's mergeConfig throws on a name defined twice, and lets the last current-context win.)
 */

import { emptyKubeconfig, type Kubeconfig } from "./types.ts";

export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  const out = emptyKubeconfig();
  for (const c of configs) {
    out.files.push(...c.files);
    for (const [k, v] of c.clusters) if (!out.clusters.has(k)) out.clusters.set(k, v);
    for (const [k, v] of c.users) if (!out.users.has(k)) out.users.set(k, v);
    for (const [k, v] of c.contexts) if (!out.contexts.has(k)) out.contexts.set(k, v);
    out.currentContext ??= c.currentContext;
  }
  return out;
}
