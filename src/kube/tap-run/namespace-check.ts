/**
 * §22.3 step 6: read the namespace once — its labels decide whether it is production (`--allow-prod` needed), and
 * its labels and annotations tell planTap about namespace-wide mesh injection. A namespace that cannot be read is a
 * warning, and the run goes on as for a non-production namespace without mesh injection, as upstream does.
 */

import { UsageError } from "../../common/errors.ts";
import type { Cluster } from "../connect.ts";
import type { NamespaceMeta } from "../tap/mesh.ts";
import { productionLabel, productionRefusal, productionWarning } from "../tap/production-namespace.ts";
import { withContext } from "../workloads/wrap-error.ts";

export interface NamespaceCheck {
  meta: NamespaceMeta | undefined;
  /** stderr lines: the production warning, or why the labels could not be checked. */
  warnings: string[];
}

export async function checkNamespace(cluster: Cluster, namespace: string, allowProd: boolean, signal?: AbortSignal): Promise<NamespaceCheck> {
  let ns: { metadata?: NamespaceMeta };
  try {
    ns = await cluster.request({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`, signal });
  } catch (e) {
    return { meta: undefined, warnings: [`Warning: could not check namespace labels: ${(withContext(`get namespace ${namespace}`, e) as Error).message}`] };
  }
  const meta = ns.metadata;
  if (productionLabel(meta?.labels) === null) return { meta, warnings: [] };
  if (!allowProd) throw new UsageError(productionRefusal(namespace));
  return { meta, warnings: [productionWarning(namespace)] };
}
