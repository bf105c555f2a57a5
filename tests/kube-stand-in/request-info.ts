/**
 * What a request asks for, decided as k8s.io/apiserver's RequestInfoFactory decides it, because authorization and
 * the 403 text depend on it: the verb (a GET without a name is list or watch, a DELETE without one is
 * deletecollection), the namespace (for `namespaces/x` it is "x" too), resource, name (a list or watch with
 * `fieldSelector=metadata.name=x` is authorized as being about x) and subresource.
 */

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  /** "api" or "apis". */
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path parts after the subresource (`services/x/proxy/a/b` → ["a", "b"]). */
  rest: string[];
  /** The name came from a fieldSelector (list/watch), not the path. */
  nameFromSelector: boolean;
}

const METHOD_VERBS: Record<string, string> = { POST: "create", GET: "get", HEAD: "get", PUT: "update", PATCH: "patch", DELETE: "delete" };
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

function truthy(v: string | null): boolean {
  return v !== null && ["1", "t", "T", "true", "TRUE", "True"].includes(v);
}

/** `metadata.name=x` among a field selector's AND'd terms. */
export function exactNameInFieldSelector(fieldSelector: string | null): string | undefined {
  if (!fieldSelector) return undefined;
  for (const term of fieldSelector.split(",")) {
    const m = /^\s*metadata\.name\s*==?\s*([^\s=!]+)\s*$/.exec(term);
    if (m) return m[1];
  }
  return undefined;
}

export function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const nonResource: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: (method === "HEAD" ? "get" : method).toLowerCase(),
    apiPrefix: "",
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    rest: [],
    nameFromSelector: false,
  };
  let parts = path.split("/").filter((p) => p !== "").map(decodeURIComponent);
  if (parts[0] !== "api" && parts[0] !== "apis") return nonResource;
  const info: RequestInfo = { ...nonResource, isResourceRequest: true, apiPrefix: parts[0], verb: METHOD_VERBS[method] ?? method.toLowerCase() };
  parts = parts.slice(1);
  if (info.apiPrefix === "apis") {
    if (parts.length < 3) return nonResource; // /apis, /apis/apps, /apis/apps/v1: discovery
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  } else if (parts.length < 2) {
    return nonResource; // /api, /api/v1
  }
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  if (parts[0] === "watch") {
    info.verb = "watch";
    parts = parts.slice(1);
  }
  if (parts[0] === "namespaces") {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  }
  if (parts.length >= 3) {
    info.subresource = parts[2];
    info.rest = parts.slice(3);
  }
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];
  if (!info.name && info.verb === "get") {
    info.verb = truthy(url.searchParams.get("watch")) ? "watch" : "list";
  }
  if (!info.name && (info.verb === "list" || info.verb === "watch")) {
    const n = exactNameInFieldSelector(url.searchParams.get("fieldSelector"));
    if (n && !n.includes("/") && !n.includes("%")) {
      info.name = n;
      info.nameFromSelector = true;
    }
  }
  if (!info.name && info.verb === "delete") info.verb = "deletecollection";
  return info;
}
