/**
 * The REST verbs on a resource (k8s.io/apiserver endpoints/handlers): get, list (label and field selectors,
 * limit/continue, Table output), watch, create, update (PUT), patch, delete (DeleteOptions, propagation) and
 * deletecollection. Writes go through the store; fault injection's "another writer" runs just before each write.
 */

import type { KubeObject, ResourceType } from "./contract.ts";
import type { UserInfo } from "./authn.ts";
import type { Faults } from "./faults.ts";
import type { PeerInfo } from "./http-transport.ts";
import type { RequestInfo } from "./request-info.ts";
import { applyConfiguration, requireFieldManager } from "./apply.ts";
import { applyPatch, parsePatchBody, patchType } from "./patching.ts";
import { json, parseBody, successStatus } from "./responses.ts";
import { parseFieldSelector } from "./selectors/field-selector.ts";
import { parseLabelSelector } from "./selectors/label-selector.ts";
import { apiVersionOf, type MemoryStore } from "./store.ts";
import { ApiStatusError, badRequest, gone, methodNotSupported, notFound } from "./status-errors.ts";
import { toTable, wantsTable, type IncludeObject } from "./table.ts";
import { watchResponse } from "./watch-stream.ts";
import { fieldValidationOf, validateFields, warningHeader } from "./field-validation.ts";

/** Field validation of an object about to be written; the warnings go into the response's Warning header. */
function checkFields(c: RequestContext, o: KubeObject): string[] {
  return validateFields(c.type, o, fieldValidationOf(c.params));
}

function withWarnings(res: Response, warnings: string[]): Response {
  for (const w of warnings) res.headers.append("warning", warningHeader(w));
  return res;
}

export interface ServerContext {
  store: MemoryStore;
  faults: Faults;
  bookmarkIntervalMs: number;
}

export interface RequestContext {
  request: Request;
  url: URL;
  params: URLSearchParams;
  info: RequestInfo;
  user: UserInfo;
  peer: PeerInfo;
  type: ResourceType;
  /** The namespace of the request (undefined for cluster-scoped resources and all-namespace lists). */
  namespace: string | undefined;
  body(): Promise<string>;
}

export function dryRunOf(params: URLSearchParams): boolean {
  const values = params.getAll("dryRun");
  for (const v of values) if (v !== "All") throw new ApiStatusError(400, "BadRequest", `dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

function includeObject(params: URLSearchParams): IncludeObject {
  const v = params.get("includeObject");
  return v === "None" || v === "Object" ? v : "Metadata";
}

/** List items are written without their kind and apiVersion, as typed lists serialize. */
function listItem(o: KubeObject): KubeObject {
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest as KubeObject;
}

export function objectMatcher(type: ResourceType, params: URLSearchParams): (o: KubeObject) => boolean {
  const labels = parseLabelSelector(params.get("labelSelector") ?? "");
  const fields = parseFieldSelector(params.get("fieldSelector") ?? "", type.resource);
  return (o) => labels(o.metadata.labels ?? {}) && fields(o);
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: t.rv, start: t.start })).toString("base64url");
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, "base64url").toString());
    if (typeof t.rv === "number" && typeof t.start === "string") return { rv: t.rv, start: t.start };
  } catch {}
  throw badRequest(`continue key is not valid: ${s}`);
}

const itemKey = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

export function handleGet(s: ServerContext, c: RequestContext): Response {
  const o = s.store.get(c.type, c.namespace, c.info.name);
  if (!o) throw notFound(c.type, c.info.name);
  if (wantsTable(c.request.headers.get("accept"))) return json(toTable(c.type, [o], { resourceVersion: o.metadata.resourceVersion, include: includeObject(c.params) }));
  return json(o);
}

export function handleList(s: ServerContext, c: RequestContext): Response {
  const match = objectMatcher(c.type, c.params);
  const { items, resourceVersion } = s.store.list(c.type, c.namespace);
  let selected = items.filter(match);
  const limit = Number(c.params.get("limit") ?? "0");
  const cont = c.params.get("continue");
  let listRV = resourceVersion;
  if (cont) {
    const t = decodeContinue(cont);
    if (t.rv < Number(s.store.oldestWatchableResourceVersion)) {
      throw gone(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
      );
    }
    selected = selected.filter((o) => itemKey(o) > t.start);
    listRV = String(t.rv);
  }
  let continueToken: string | undefined;
  let remaining: number | undefined;
  if (limit > 0 && selected.length > limit) {
    remaining = selected.length - limit;
    selected = selected.slice(0, limit);
    continueToken = encodeContinue({ rv: Number(listRV), start: itemKey(selected[selected.length - 1]) });
  }
  if (wantsTable(c.request.headers.get("accept"))) {
    return json(toTable(c.type, selected, { resourceVersion: listRV, continueToken, include: includeObject(c.params) }));
  }
  const metadata: Record<string, unknown> = { resourceVersion: listRV };
  if (continueToken) {
    metadata.continue = continueToken;
    metadata.remainingItemCount = remaining;
  }
  return json({ kind: c.type.listKind, apiVersion: apiVersionOf(c.type), metadata, items: selected.map(listItem) });
}

export function handleWatch(s: ServerContext, c: RequestContext): Response {
  const params = new URLSearchParams(c.params);
  // The legacy /watch/<resource>/<name> path names the object in the path.
  if (c.info.name && !c.info.nameFromSelector) {
    const fs = params.get("fieldSelector");
    params.set("fieldSelector", fs ? `${fs},metadata.name=${c.info.name}` : `metadata.name=${c.info.name}`);
  }
  const matches = objectMatcher(c.type, params);
  return watchResponse({
    store: s.store,
    type: c.type,
    namespace: c.namespace,
    params,
    matches,
    asTable: wantsTable(c.request.headers.get("accept")),
    include: includeObject(params),
    faults: s.faults,
    bookmarkIntervalMs: s.bookmarkIntervalMs,
    resetConnection: () => c.peer.reset(),
  });
}

/** The body as an object of this resource, checked against the URL's namespace (and name, for PUT). */
async function bodyObject(c: RequestContext): Promise<KubeObject> {
  const o = parseBody(await c.body(), c.request.headers.get("content-type")) as KubeObject;
  if (!o || typeof o !== "object" || Array.isArray(o)) throw badRequest("the body of the request must be a JSON object");
  o.metadata ??= {};
  if (c.type.namespaced) {
    if (o.metadata.namespace && c.namespace && o.metadata.namespace !== c.namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    if (c.namespace) o.metadata.namespace = c.namespace;
  }
  return o;
}

export async function handleCreate(s: ServerContext, c: RequestContext): Promise<Response> {
  if (c.type.namespaced && !c.namespace) throw methodNotSupported(c.type, "create");
  const o = await bodyObject(c);
  const warnings = checkFields(c, o);
  const created = s.store.create(c.type, o, { dryRun: dryRunOf(c.params) });
  return withWarnings(json(created, 201), warnings);
}

export async function handleUpdate(s: ServerContext, c: RequestContext): Promise<Response> {
  const o = await bodyObject(c);
  if (o.metadata.name !== c.info.name) {
    throw badRequest(`the name of the object (${o.metadata.name ?? ""}) does not match the name on the URL (${c.info.name})`);
  }
  const warnings = checkFields(c, o);
  s.faults.beforeWrite(c.type.group, c.type.resource, c.namespace, c.info.name);
  return withWarnings(json(s.store.update(c.type, o, { dryRun: dryRunOf(c.params) })), warnings);
}

/**
 * Computes the patched object for a main resource or its status, from the live one. Name and namespace cannot be
 * changed by a patch.
 */
export function patchedObject(c: RequestContext, live: KubeObject, bodyText: string, contentType: string | null, kind: string): KubeObject {
  const t = patchType(contentType);
  if (t === "apply") throw new Error("apply is handled by the caller");
  const patched = applyPatch(t, live, parsePatchBody(t, bodyText), kind) as KubeObject;
  if (!patched || typeof patched !== "object" || Array.isArray(patched)) throw badRequest("the patched object is not a JSON object");
  patched.metadata ??= {};
  if (patched.metadata.name !== live.metadata.name) throw badRequest(`the name of the object (${patched.metadata.name ?? ""}) does not match the name on the URL (${live.metadata.name})`);
  if (c.type.namespaced && patched.metadata.namespace !== live.metadata.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  return patched;
}

export async function handlePatch(s: ServerContext, c: RequestContext, subresource?: "status"): Promise<Response> {
  const contentType = c.request.headers.get("content-type");
  const t = patchType(contentType);
  const bodyText = await c.body();
  const dryRun = dryRunOf(c.params);
  s.faults.beforeWrite(c.type.group, c.type.resource, c.namespace, c.info.name);
  const live = s.store.get(c.type, c.namespace, c.info.name);
  if (t === "apply") {
    requireFieldManager(c.params);
    const applied = parsePatchBody("apply", bodyText) as KubeObject;
    if (applied && typeof applied === "object" && !Array.isArray(applied)) {
      applied.metadata ??= {};
      if (applied.metadata.name && applied.metadata.name !== c.info.name) {
        throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${c.info.name})`);
      }
      applied.metadata.name = c.info.name;
      if (c.type.namespaced) applied.metadata.namespace = c.namespace;
    }
    const next = applyConfiguration(live, applied, c.type.kind);
    const warnings = subresource ? [] : checkFields(c, next);
    if (!live) {
      if (subresource) throw notFound(c.type, c.info.name);
      return withWarnings(json(s.store.create(c.type, next, { dryRun }), 201), warnings);
    }
    return withWarnings(json(s.store.update(c.type, next, { dryRun, subresource })), warnings);
  }
  if (!live) throw notFound(c.type, c.info.name);
  const patched = patchedObject(c, live, bodyText, contentType, c.type.kind);
  const warnings = subresource ? [] : checkFields(c, patched);
  return withWarnings(json(s.store.update(c.type, patched, { dryRun, subresource })), warnings);
}

interface DeleteRequestOptions {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun: boolean;
}

async function deleteOptions(c: RequestContext): Promise<DeleteRequestOptions> {
  const text = await c.body();
  let body: any = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }
  let policy = body.propagationPolicy ?? c.params.get("propagationPolicy") ?? undefined;
  if (policy === undefined && (body.orphanDependents ?? c.params.get("orphanDependents")) !== undefined) {
    const orphan = body.orphanDependents ?? c.params.get("orphanDependents") === "true";
    policy = orphan ? "Orphan" : "Background";
  }
  if (policy !== undefined && !["Background", "Foreground", "Orphan"].includes(policy)) {
    throw new ApiStatusError(422, "Invalid", `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  const graceText = body.gracePeriodSeconds ?? c.params.get("gracePeriodSeconds");
  const dryRun = dryRunOf(c.params) || (Array.isArray(body.dryRun) && body.dryRun.includes("All"));
  return { propagationPolicy: policy, preconditions: body.preconditions, gracePeriodSeconds: graceText === undefined || graceText === null ? undefined : Number(graceText), dryRun };
}

/** Pods answer a delete with the pod (ReturnDeletedObject); other resources with a success Status once gone. */
function deleteResponse(type: ResourceType, deleted: KubeObject, stillThere: boolean): Response {
  if (stillThere || (type.group === "" && (type.resource === "pods" || type.resource === "namespaces"))) return json(deleted, 200);
  return json(successStatus({ name: deleted.metadata.name, group: type.group, kind: type.resource, uid: deleted.metadata.uid }), 200);
}

export async function handleDelete(s: ServerContext, c: RequestContext): Promise<Response> {
  const opts = await deleteOptions(c);
  s.faults.beforeWrite(c.type.group, c.type.resource, c.namespace, c.info.name);
  const deleted = s.store.delete(c.type, c.namespace, c.info.name, opts);
  const stillThere = !opts.dryRun && s.store.get(c.type, c.namespace, c.info.name) !== undefined;
  return deleteResponse(c.type, deleted, stillThere);
}

export async function handleDeleteCollection(s: ServerContext, c: RequestContext): Promise<Response> {
  const opts = await deleteOptions(c);
  const match = objectMatcher(c.type, c.params);
  const items: KubeObject[] = [];
  for (const o of s.store.list(c.type, c.namespace).items.filter(match)) {
    try {
      items.push(listItem(s.store.delete(c.type, o.metadata.namespace, o.metadata.name!, opts)));
    } catch (e) {
      if (!(e instanceof ApiStatusError && e.code === 404)) throw e;
    }
  }
  return json({ kind: c.type.listKind, apiVersion: apiVersionOf(c.type), metadata: {}, items });
}
