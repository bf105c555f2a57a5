/**
 * Names an API request the way RBAC does — verb, resource (with its group), name, namespace — so that errors
 * without a useful Status message (401, timeouts, a dropped connection) still say what was refused or lost.
 */

export interface RequestAttributes {
  /** RBAC verb: get, list, watch, create, update, patch, delete, deletecollection; the HTTP method for other paths. */
  verb: string;
  /** "pods", "deployments.apps", "pods/log"; undefined for non-resource paths such as /version. */
  resource?: string;
  name?: string;
  namespace?: string;
  path: string;
}

const VERB_BY_METHOD: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch" };

export function requestAttributes(method: string, url: URL): RequestAttributes {
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group = "";
  if (parts[0] === "api" && parts.length >= 3) rest = parts.slice(2);
  else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else return { verb: method, path: url.pathname };
  let namespace: string | undefined;
  // `namespaces/<ns>/<resource>…` is namespaced; `namespaces/<ns>` alone is the namespace object itself.
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, sub] = rest;
  const resource = (group ? `${plural}.${group}` : plural!) + (sub ? `/${sub}` : "");
  const watch = url.searchParams.get("watch");
  let verb: string;
  if (method === "GET") verb = watch === "true" || watch === "1" ? "watch" : name === undefined ? "list" : "get";
  else if (method === "DELETE") verb = name === undefined ? "deletecollection" : "delete";
  else verb = VERB_BY_METHOD[method] ?? method.toLowerCase();
  return { verb, resource, name, namespace, path: url.pathname };
}

/** `patch deployments.apps "web" in namespace "default"`, `list nodes`, `GET /version`. */
export function describeRequest(a: RequestAttributes): string {
  if (a.resource === undefined) return `${a.verb} ${a.path}`;
  return `${a.verb} ${a.resource}${a.name === undefined ? "" : ` "${a.name}"`}${a.namespace === undefined ? "" : ` in namespace "${a.namespace}"`}`;
}
