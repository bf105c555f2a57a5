/**
 * Subresources: status (get/put/patch of the status only), scale (an autoscaling/v1 Scale over spec.replicas),
 * pods/binding (scheduling), pods/eviction (a delete), serviceaccounts/token (TokenRequest), namespaces/finalize,
 * and the registry for the ones other parts serve (pods/log from the kubelet part; services/proxy, which has a
 * built-in forwarder to a per-service target URL, else to a ready pod of the Service).
 */

import type { KubeObject, SubresourceHandler, SubresourceRequestInfo } from "./contract.ts";
import type { Authenticator } from "./authn.ts";
import { handlePatch, patchedObject, dryRunOf, type RequestContext, type ServerContext } from "./rest-handlers.ts";
import { json, parseBody, successStatus } from "./responses.ts";
import { labelSelectorFromObject } from "./selectors/label-selector.ts";
import { patchType, parsePatchBody } from "./patching.ts";
import { rfc3339 } from "./json-util.ts";
import { serviceProxyURL } from "./service-endpoints.ts";
import { ApiStatusError, badRequest, conflict, methodNotSupported, notFound, resourceNotServed, serviceUnavailable } from "./status-errors.ts";

export interface SubresourceContext extends ServerContext {
  authn: Authenticator;
  handlers: Map<string, SubresourceHandler>;
  /** `namespace/name` or `namespace/name:port` → base URL, for services/proxy. */
  serviceTargets: Map<string, string>;
}

export const handlerKey = (group: string, resource: string, sub: string) => `${group}/${resource}/${sub}`;

function scaleOf(o: KubeObject): KubeObject {
  let selector = "";
  try {
    selector = labelSelectorFromObject(o.spec?.selector).selectorString;
  } catch {}
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector },
  };
}

async function handleScale(s: SubresourceContext, c: RequestContext): Promise<Response> {
  const live = s.store.get(c.type, c.namespace, c.info.name);
  if (!live) throw notFound(c.type, c.info.name);
  const current = scaleOf(live);
  if (c.info.verb === "get") return json(current);
  let wanted: KubeObject;
  if (c.info.verb === "update") {
    wanted = parseBody(await c.body(), c.request.headers.get("content-type")) as KubeObject;
  } else if (c.info.verb === "patch") {
    const t = patchType(c.request.headers.get("content-type"));
    const body = await c.body();
    wanted = t === "apply" ? { ...current, ...(parsePatchBody("apply", body) as object) } : patchedObject(c, current, body, c.request.headers.get("content-type"), "Scale");
  } else throw methodNotSupported(c.type, c.info.verb);
  const replicas = wanted?.spec?.replicas;
  if (typeof replicas !== "number" || replicas < 0) {
    throw new ApiStatusError(422, "Invalid", `Scale.autoscaling "${c.info.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`);
  }
  s.faults.beforeWrite(c.type.group, c.type.resource, c.namespace, c.info.name);
  const fresh = s.store.get(c.type, c.namespace, c.info.name)!;
  const rv = wanted.metadata?.resourceVersion;
  if (rv && rv !== fresh.metadata.resourceVersion) throw conflict(c.type, c.info.name);
  fresh.spec = { ...(fresh.spec ?? {}), replicas };
  return json(scaleOf(s.store.update(c.type, fresh, { dryRun: dryRunOf(c.params) })));
}

async function handleStatus(s: SubresourceContext, c: RequestContext): Promise<Response> {
  if (c.info.verb === "get") {
    const o = s.store.get(c.type, c.namespace, c.info.name);
    if (!o) throw notFound(c.type, c.info.name);
    return json(o);
  }
  if (c.info.verb === "patch") return handlePatch(s, c, "status");
  if (c.info.verb !== "update") throw methodNotSupported(c.type, c.info.verb);
  const o = parseBody(await c.body(), c.request.headers.get("content-type")) as KubeObject;
  o.metadata ??= {};
  if (o.metadata.name !== c.info.name) throw badRequest(`the name of the object (${o.metadata.name ?? ""}) does not match the name on the URL (${c.info.name})`);
  if (c.type.namespaced) o.metadata.namespace = c.namespace;
  s.faults.beforeWrite(c.type.group, c.type.resource, c.namespace, c.info.name);
  return json(s.store.update(c.type, o, { subresource: "status", dryRun: dryRunOf(c.params) }));
}

async function handleBinding(s: SubresourceContext, c: RequestContext): Promise<Response> {
  if (c.info.verb !== "create") throw methodNotSupported(c.type, c.info.verb);
  const b = parseBody(await c.body(), c.request.headers.get("content-type")) as any;
  const node = b?.target?.name;
  if (!node) throw new ApiStatusError(422, "Invalid", `Binding "${c.info.name}" is invalid: target.name: Required value`);
  const pod = s.store.get(c.type, c.namespace, c.info.name);
  if (!pod) throw notFound(c.type, c.info.name);
  if (pod.spec?.nodeName) throw conflict(c.type, c.info.name, `pod ${c.info.name} is already assigned to node "${pod.spec.nodeName}"`);
  pod.spec.nodeName = node;
  s.store.update(c.type, pod);
  return json(successStatus({}), 201);
}

async function handleEviction(s: SubresourceContext, c: RequestContext): Promise<Response> {
  if (c.info.verb !== "create") throw methodNotSupported(c.type, c.info.verb);
  s.store.delete(c.type, c.namespace, c.info.name, {});
  return json(successStatus({}), 201);
}

async function handleToken(s: SubresourceContext, c: RequestContext): Promise<Response> {
  if (c.info.verb !== "create") throw methodNotSupported(c.type, c.info.verb);
  const sa = s.store.get(c.type, c.namespace, c.info.name);
  if (!sa) throw notFound(c.type, c.info.name);
  const text = await c.body();
  const req = (text.trim() ? parseBody(text, c.request.headers.get("content-type")) : {}) as any;
  const seconds = Number(req?.spec?.expirationSeconds ?? 3600);
  if (!(seconds >= 600)) throw new ApiStatusError(422, "Invalid", `TokenRequest.authentication.k8s.io "${c.info.name}" is invalid: spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration less than 10 minutes`);
  const audiences: string[] = req?.spec?.audiences?.length ? req.spec.audiences : ["https://kubernetes.default.svc.cluster.local"];
  const { token, expires } = s.authn.issueServiceAccountToken(c.namespace!, c.info.name, sa.metadata.uid!, seconds, audiences);
  return json(
    {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name: c.info.name, namespace: c.namespace, creationTimestamp: null },
      spec: { audiences, expirationSeconds: seconds, boundObjectRef: req?.spec?.boundObjectRef ?? null },
      status: { token, expirationTimestamp: rfc3339(expires) },
    },
    201,
  );
}

async function handleFinalize(s: SubresourceContext, c: RequestContext): Promise<Response> {
  if (c.info.verb !== "update") throw methodNotSupported(c.type, c.info.verb);
  const o = parseBody(await c.body(), c.request.headers.get("content-type")) as KubeObject;
  const live = s.store.get(c.type, undefined, c.info.name);
  if (!live) throw notFound(c.type, c.info.name);
  live.spec = { ...(live.spec ?? {}), finalizers: o?.spec?.finalizers ?? [] };
  if (o?.metadata?.resourceVersion) live.metadata.resourceVersion = o.metadata.resourceVersion;
  return json(s.store.update(c.type, live));
}

/**
 * services/proxy without a registered handler: forward to the target URL the test set for the service, else to a
 * ready pod the Service selects (service-endpoints.ts: reachable when the pod runs a program).
 */
async function proxyToTarget(s: SubresourceContext, request: Request, service: KubeObject, info: SubresourceRequestInfo, search: string): Promise<Response> {
  const bare = `${info.namespace}/${info.name}`;
  const target = (info.port !== undefined ? s.serviceTargets.get(`${bare}:${info.port}`) : undefined) ?? s.serviceTargets.get(bare) ?? serviceProxyURL(s.store, service, info.port);
  const url = new URL(target);
  const base = url.pathname.replace(/\/$/, "");
  url.pathname = `${base}${info.rest || "/"}`;
  url.search = search;
  const headers = new Headers(request.headers);
  headers.delete("host");
  headers.delete("authorization");
  try {
    const upstream = await fetch(url, {
      method: request.method,
      headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer(),
      redirect: "manual",
      tls: { rejectUnauthorized: false },
    } as RequestInit);
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  } catch (e) {
    throw serviceUnavailable(`error trying to reach service: ${(e as Error).message}`);
  }
}

/** `web`, `web:8080`, `https:web:443` → name and port part, as the proxy subresource's name is written. */
export function splitProxyName(raw: string): { name: string; port?: string } {
  const parts = raw.split(":");
  if (parts.length === 1) return { name: raw };
  if (parts.length === 2) return { name: parts[0], port: parts[1] };
  return { name: parts[1], port: `${parts[0]}:${parts[2]}` };
}

export async function handleSubresourceRequest(s: SubresourceContext, c: RequestContext): Promise<Response> {
  const sub = c.info.subresource;
  if (!c.type.subresources.includes(sub)) throw resourceNotServed();
  const registered = s.handlers.get(handlerKey(c.type.group, c.type.resource, sub));
  const isProxy = sub === "proxy";
  const { name, port } = isProxy ? splitProxyName(c.info.name) : { name: c.info.name, port: undefined };
  if (registered || isProxy || sub === "log") {
    const object = s.store.get(c.type, c.namespace, name);
    if (!object) throw notFound(c.type, name);
    const info: SubresourceRequestInfo = {
      namespace: c.namespace,
      name,
      subresource: sub,
      rest: c.info.rest.length ? `/${c.info.rest.map(encodeURIComponent).join("/")}${c.url.pathname.endsWith("/") ? "/" : ""}` : "",
      port,
      user: { name: c.user.name, groups: c.user.groups },
    };
    if (registered) return registered(c.request, object, c.params, info);
    if (isProxy && c.type.resource === "services") return proxyToTarget(s, c.request, object, info, c.url.search);
    if (sub === "log") throw serviceUnavailable(`pods/log is not served: no kubelet part is attached to the stand-in (pod "${name}")`);
    throw serviceUnavailable(`${c.type.resource}/proxy is not served by the stand-in`);
  }
  switch (sub) {
    case "status":
      return handleStatus(s, c);
    case "scale":
      return handleScale(s, c);
    case "binding":
      return handleBinding(s, c);
    case "eviction":
      return handleEviction(s, c);
    case "token":
      return handleToken(s, c);
    case "finalize":
      return handleFinalize(s, c);
  }
  throw resourceNotServed();
}
