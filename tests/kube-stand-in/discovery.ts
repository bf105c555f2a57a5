/**
 * Discovery documents (`/api`, `/api/v1`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`) and `/version`.
 * kubectl asks for aggregated discovery first (Accept: ...;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,
 * ...,application/json); answering the legacy documents with Content-Type application/json makes it fall back to
 * them, as it does against servers older than 1.26. That costs kubectl a request per group version, which its
 * discovery cache (--cache-dir) absorbs.
 */

import type { ResourceType } from "./contract.ts";
import { SUBRESOURCE_DISCOVERY, subresourceKind, type ResourceTable } from "./resource-table.ts";

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** `/version` for a gitVersion like "v1.31.0". */
export function versionInfo(gitVersion: string): VersionInfo {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  if (!m) throw new Error(`not a Kubernetes version: ${gitVersion} (want e.g. v1.31.0)`);
  return {
    major: m[1],
    minor: m[2],
    gitVersion,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2024-08-13T07:28:49Z",
    goVersion: "go1.22.5",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

function resourceEntries(t: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: t.resource,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: t.verbs,
  };
  if (t.shortNames.length) main.shortNames = t.shortNames;
  if (t.categories?.length) main.categories = t.categories;
  const out = [main];
  for (const sub of t.subresources) {
    const d = SUBRESOURCE_DISCOVERY[sub];
    const e: Record<string, unknown> = { name: `${t.resource}/${sub}`, singularName: "", namespaced: t.namespaced, kind: subresourceKind(t, sub), verbs: d?.verbs ?? ["get"] };
    if (d?.group) e.group = d.group;
    if (d?.version) e.version = d.version;
    out.push(e);
  }
  return out;
}

export class Discovery {
  constructor(
    private readonly table: ResourceTable,
    private readonly serverAddress: () => string,
  ) {}

  /** The document for a discovery path, or undefined when the path is not one. */
  document(path: string): unknown | undefined {
    const p = path.replace(/\/+$/, "");
    if (p === "/api") {
      return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: this.serverAddress() }] };
    }
    if (p === "/api/v1") return this.resourceList("", "v1");
    if (p === "/apis") {
      return { kind: "APIGroupList", apiVersion: "v1", groups: this.table.groups().filter((g) => g.group !== "").map((g) => this.group(g.group, g.versions)) };
    }
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(p);
    if (m) {
      const g = this.table.groups().find((x) => x.group === m[1]);
      if (!g) return undefined;
      if (!m[2]) return { kind: "APIGroup", apiVersion: "v1", ...this.group(g.group, g.versions) };
      if (!g.versions.includes(m[2])) return undefined;
      return this.resourceList(g.group, m[2]);
    }
    return undefined;
  }

  private group(name: string, versions: string[]) {
    const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: vs, preferredVersion: vs[0] };
  }

  private resourceList(group: string, version: string) {
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: group ? `${group}/${version}` : version,
      resources: this.table.inGroupVersion(group, version).flatMap(resourceEntries),
    };
  }
}
