/**
 * The API server's request pipeline, in the real filter order: health endpoints → authentication (401) →
 * request info → authorization (403 with the real text) → injected faults → the handler for the path (discovery,
 * /version, a resource verb, a subresource, a review). Every request is logged (method, path, user, verb,
 * resource, status), so tests can assert what a client did, or that it made no request at all. The control API
 * under /stand-in/ sits beside it (control-api.ts).
 */

import type { SubresourceHandler, SubresourceRegistry } from "./contract.ts";
import type { Authenticator, UserInfo } from "./authn.ts";
import { Discovery, versionInfo } from "./discovery.ts";
import { Faults } from "./faults.ts";
import { HttpsTransport, type PeerInfo } from "./http-transport.ts";
import { OpenApi } from "./openapi.ts";
import { openApiV2 } from "./openapi-v2.ts";
import { decodeProtobufObject, PROTOBUF } from "./protobuf.ts";
import { forbiddenMessage, type Authorizer } from "./rbac.ts";
import { requestInfo, type RequestInfo } from "./request-info.ts";
import { json, pageNotFound, statusResponse, text } from "./responses.ts";
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
  handleWatch,
  type RequestContext,
} from "./rest-handlers.ts";
import { handleReview } from "./reviews.ts";
import type { MemoryStore } from "./store.ts";
import { forbidden, forbiddenPath, internalError, isApiStatusError, methodNotSupported, resourceNotServed, unauthorized } from "./status-errors.ts";
import { handlerKey, handleSubresourceRequest, type SubresourceContext } from "./subresources.ts";

export interface RequestLogEntry {
  /** Sequence number, from 1. */
  seq: number;
  time: string;
  method: string;
  path: string;
  query: string;
  user: string | undefined;
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  code: number;
  userAgent: string;
}

export interface ApiServerOptions {
  store: MemoryStore;
  authn: Authenticator;
  authz: Authorizer;
  tls: { cert: string; key: string; ca: string };
  /** /version's gitVersion. */
  version: string;
  bookmarkIntervalMs?: number;
  requestLogSize?: number;
}

export type ControlHandler = (request: Request, url: URL, user: UserInfo | undefined) => Promise<Response>;

/** The body as text; a protobuf body (kubectl's typed clients) as the equivalent JSON. */
async function requestBodyText(request: Request): Promise<string> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim();
  if (type !== PROTOBUF) return request.text();
  return JSON.stringify(decodeProtobufObject(new Uint8Array(await request.arrayBuffer())));
}

const HEALTH = /^\/(healthz|livez|readyz)(\/.*)?$/;

export class ApiServer implements SubresourceRegistry {
  readonly faults: Faults;
  readonly transport: HttpsTransport;
  readonly requests: RequestLogEntry[] = [];
  /** `namespace/name` or `namespace/name:port` → target base URL for services/proxy. */
  readonly serviceTargets = new Map<string, string>();
  version: string;
  bookmarkIntervalMs: number;
  control?: ControlHandler;
  private readonly handlers = new Map<string, SubresourceHandler>();
  private readonly discovery: Discovery;
  private readonly openapi: OpenApi;
  private seq = 0;
  private readonly requestLogSize: number;

  constructor(private readonly o: ApiServerOptions) {
    this.version = o.version;
    versionInfo(o.version);
    this.bookmarkIntervalMs = o.bookmarkIntervalMs ?? 5000;
    this.requestLogSize = o.requestLogSize ?? 10_000;
    this.transport = new HttpsTransport(o.tls, (req, peer) => this.handle(req, peer));
    this.faults = new Faults(o.store, (mode) => this.transport.setReachability(mode === false ? "serve" : mode));
    this.discovery = new Discovery(o.store.table, () => `127.0.0.1:${this.transport.port}`);
    this.openapi = new OpenApi(o.store.table);
  }

  get url(): string {
    return `https://127.0.0.1:${this.transport.port}`;
  }

  listen(port = 0): Promise<number> {
    return this.transport.listen(port, "127.0.0.1");
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  handleSubresource(group: string, resource: string, subresource: string, handler: SubresourceHandler): () => void {
    const type = this.o.store.resourceType(group, resource);
    if (!type) throw new Error(`the stand-in serves no resource ${resource} in group "${group}"`);
    if (!type.subresources.includes(subresource)) throw new Error(`${resource} has no subresource ${subresource} in the resource table`);
    const k = handlerKey(group, resource, subresource);
    this.handlers.set(k, handler);
    return () => {
      if (this.handlers.get(k) === handler) this.handlers.delete(k);
    };
  }

  private async handle(request: Request, peer: PeerInfo): Promise<Response> {
    const url = new URL(request.url);
    let user: UserInfo | undefined;
    let info: RequestInfo | undefined;
    let response: Response;
    try {
      if (url.pathname === "/stand-in" || url.pathname.startsWith("/stand-in/")) {
        user = this.o.authn.authenticate(peer, request.headers.get("authorization"));
        response = this.control ? await this.control(request, url, user) : pageNotFound();
      } else {
        if (this.faults.delayMs > 0) await Bun.sleep(this.faults.delayMs);
        response = await this.pipeline(request, url, peer, (u, i) => {
          user = u;
          info = i;
        });
      }
    } catch (e) {
      if (!isApiStatusError(e)) console.error("stand-in: a handler failed:", e);
      response = statusResponse(isApiStatusError(e) ? e : internalError(e instanceof Error ? e.message : String(e)));
    }
    this.log(request, url, user, info, response.status);
    return response;
  }

  private async pipeline(request: Request, url: URL, peer: PeerInfo, seen: (u: UserInfo | undefined, i: RequestInfo) => void): Promise<Response> {
    if (HEALTH.test(url.pathname) && (request.method === "GET" || request.method === "HEAD")) return text("ok");
    const user = this.o.authn.authenticate(peer, request.headers.get("authorization"));
    const info = requestInfo(request.method, url);
    seen(user, info);
    if (!user) {
      // /version is public (system:public-info-viewer binds it for unauthenticated users too).
      if (url.pathname === "/version" && request.method === "GET") return json(versionInfo(this.version));
      throw unauthorized();
    }
    const decision = this.o.authz.authorize({
      user,
      verb: info.verb,
      isResourceRequest: info.isResourceRequest,
      path: info.path,
      apiGroup: info.apiGroup,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      name: info.name,
    });
    if (!decision.allowed) {
      const why = forbiddenMessage({ user, ...info }) + (decision.reason ? `: ${decision.reason}` : "");
      if (!info.isResourceRequest) throw forbiddenPath(why);
      throw forbidden({ group: info.apiGroup, resource: info.resource }, info.name || undefined, why);
    }
    const injected = this.faults.takeFailure(info);
    if (injected) throw injected;
    if (!info.isResourceRequest) return this.nonResource(request, url);
    return this.resource(request, url, peer, user, info);
  }

  private nonResource(request: Request, url: URL): Response {
    if (request.method !== "GET" && request.method !== "HEAD") return pageNotFound();
    if (url.pathname === "/version" || url.pathname === "/version/") return json(versionInfo(this.version));
    if (url.pathname === "/openapi/v2") return openApiV2(request.headers.get("accept"), this.version);
    const doc = this.discovery.document(url.pathname) ?? this.openapi.document(url.pathname);
    if (doc !== undefined) return json(doc);
    return pageNotFound();
  }

  private async resource(request: Request, url: URL, peer: PeerInfo, user: UserInfo, info: RequestInfo): Promise<Response> {
    const type = this.o.store.resourceType(info.apiGroup, info.resource);
    if (!type || type.version !== info.apiVersion || (info.apiPrefix === "api") !== (info.apiGroup === "")) {
      // An unknown group or version is the mux's 404 page; an unknown resource in a served group a 404 Status.
      const gv = this.o.store.table.groups().find((g) => g.group === info.apiGroup && g.versions.includes(info.apiVersion));
      if (!gv) return pageNotFound();
      throw resourceNotServed();
    }
    if (!type.namespaced && info.namespace && !(type.resource === "namespaces" && type.group === "")) throw resourceNotServed();
    let bodyText: string | undefined;
    const c: RequestContext = {
      request,
      url,
      params: url.searchParams,
      info,
      user,
      peer,
      type,
      namespace: type.namespaced ? info.namespace || undefined : undefined,
      body: async () => (bodyText ??= await requestBodyText(request)),
    };
    if (type.virtual) return handleReview(this.o.authn, this.o.authz, c);
    const s = this.serverContext();
    if (info.subresource) return handleSubresourceRequest(s, c);
    switch (info.verb) {
      case "get":
        return handleGet(s, c);
      case "list":
        return handleList(s, c);
      case "watch":
        return handleWatch(s, c);
      case "create":
        if (info.name) throw methodNotSupported(type, "create");
        return handleCreate(s, c);
      case "update":
        return handleUpdate(s, c);
      case "patch":
        return handlePatch(s, c);
      case "delete":
        return handleDelete(s, c);
      case "deletecollection":
        if (!type.verbs.includes("deletecollection")) throw methodNotSupported(type, "deletecollection");
        return handleDeleteCollection(s, c);
    }
    throw methodNotSupported(type, info.verb);
  }

  private serverContext(): SubresourceContext {
    return {
      store: this.o.store,
      faults: this.faults,
      bookmarkIntervalMs: this.bookmarkIntervalMs,
      authn: this.o.authn,
      handlers: this.handlers,
      serviceTargets: this.serviceTargets,
    };
  }

  private log(request: Request, url: URL, user: UserInfo | undefined, info: RequestInfo | undefined, code: number): void {
    this.requests.push({
      seq: ++this.seq,
      time: new Date().toISOString(),
      method: request.method,
      path: url.pathname,
      query: url.search,
      user: user?.name,
      verb: info?.verb ?? request.method.toLowerCase(),
      group: info?.apiGroup ?? "",
      resource: info?.resource ?? "",
      subresource: info?.subresource ?? "",
      namespace: info?.namespace ?? "",
      name: info?.name ?? "",
      code,
      userAgent: request.headers.get("user-agent") ?? "",
    });
    if (this.requests.length > this.requestLogSize) this.requests.splice(0, this.requests.length - this.requestLogSize);
  }
}
