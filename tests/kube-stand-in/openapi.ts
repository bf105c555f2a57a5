/**
 * The least OpenAPI v3 kubectl needs. `kubectl apply/create` validate with --validate=strict by default, which
 * asks the server to validate (`?fieldValidation=Strict`) when the server's OpenAPI v3 documents that parameter on
 * the resource's PATCH operation, and otherwise downloads OpenAPI v2 schemas to validate client-side — failing
 * outright ("failed to download openapi") when there are none. So: `/openapi/v3` lists each group version, and each
 * group-version document has, per resource, a PATCH operation tagged with its group/version/kind that takes
 * `fieldValidation`. It has no request body, which tells `kubectl apply` to build its strategic merge patches from
 * its compiled-in types (as it does for servers without OpenAPI) instead of from schemas we do not have.
 * `/openapi/v2` (openapi-v2.ts) has no definitions, so `kubectl explain` does not work. field-validation.ts enforces
 * fieldValidation for Pods and pod templates.
 */

import type { ResourceType } from "./contract.ts";
import type { ResourceTable } from "./resource-table.ts";

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export class OpenApi {
  private readonly hash: string;

  constructor(private readonly table: ResourceTable) {
    this.hash = Bun.hash(JSON.stringify(table.types.map((t) => [t.group, t.version, t.resource, t.kind]))).toString(16).toUpperCase();
  }

  /** The document for an /openapi/v3 path, or undefined (404). */
  document(path: string): unknown | undefined {
    const p = path.replace(/\/+$/, "");
    if (p === "/openapi/v3") {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const g of this.table.groups()) {
        for (const v of g.versions) paths[gvPath(g.group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(g.group, v)}?hash=${this.hash}` };
      }
      return { paths };
    }
    const m = /^\/openapi\/v3\/(api\/[^/]+|apis\/[^/]+\/[^/]+)$/.exec(p);
    if (!m) return undefined;
    const parts = m[1].split("/");
    const [group, version] = parts[0] === "api" ? ["", parts[1]] : [parts[1], parts[2]];
    const types = this.table.inGroupVersion(group, version);
    if (!types.length) return undefined;
    const paths: Record<string, unknown> = {};
    for (const t of types) {
      if (t.virtual) continue;
      paths[itemPath(t)] = {
        patch: {
          operationId: `patch${t.kind}`,
          "x-kubernetes-group-version-kind": { group: t.group, version: t.version, kind: t.kind },
          "x-kubernetes-action": "patch",
          parameters: [
            { name: "dryRun", in: "query", schema: { type: "string" } },
            { name: "fieldManager", in: "query", schema: { type: "string" } },
            { name: "fieldValidation", in: "query", schema: { type: "string" } },
            { name: "force", in: "query", schema: { type: "boolean" } },
          ],
          responses: { "200": { description: "OK" } },
        },
      };
    }
    return {
      openapi: "3.0.0",
      info: { title: "Kubernetes", version: "unversioned" },
      paths,
      components: { schemas: {} },
    };
  }
}

function itemPath(t: ResourceType): string {
  const base = `/${gvPath(t.group, t.version)}`;
  return t.namespaced ? `${base}/namespaces/{namespace}/${t.resource}/{name}` : `${base}/${t.resource}/{name}`;
}
