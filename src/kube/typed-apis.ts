/**
 * client-node's generated, typed API clients, sending through our transport (its `httpApi`), so CA, client
 * certificate, exec credentials and --timeout apply to them as to everything else. Loaded on first use only
 * (connect.ts): the generated models cost ~60 ms to load in the compiled binary.
 *
 * Typed clients decode into model classes that keep only the fields this client-node version knows, so a
 * read-modify-write through them would drop newer fields: workloads are changed through raw JSON (writes/).
 */

import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  createConfiguration,
  Observable,
  PatchStrategy,
  RbacAuthorizationV1Api,
  ResponseContext,
  ServerConfiguration,
  VersionApi,
  wrapHttpLibrary,
  type ConfigurationOptions,
  type RequestContext,
} from "@kubernetes/client-node";
import type { KubeTransport } from "./transport/transport.ts";

export interface TypedApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  rbac: RbacAuthorizationV1Api;
  authz: AuthorizationV1Api;
  version: VersionApi;
}

export function typedApis(transport: KubeTransport): TypedApis {
  const httpApi = wrapHttpLibrary({
    async send(ctx: RequestContext): Promise<ResponseContext> {
      const url = ctx.getUrl();
      const headers = ctx.getHeaders();
      const body = ctx.getBody();
      const res = await transport.text({
        method: ctx.getHttpMethod(),
        path: url.startsWith(transport.server) ? url.slice(transport.server.length) : new URL(url).pathname + new URL(url).search,
        body: body === undefined || typeof body === "string" ? body : String(body),
        contentType: headers["Content-Type"],
        accept: headers["Accept"],
        signal: ctx.getSignal(),
      });
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => (out[k] = v));
      const bytes = () => Promise.resolve(Buffer.from(res.text));
      return new ResponseContext(res.status, out, { text: () => Promise.resolve(res.text), binary: bytes, stream: () => null });
    },
  });
  // No auth methods and no static middleware: credentials are the transport's, and the generated code reverses the
  // static middleware array in place on every call.
  const config = createConfiguration({ baseServer: new ServerConfiguration(transport.server, {}), httpApi, authMethods: {} });
  return { core: new CoreV1Api(config), apps: new AppsV1Api(config), rbac: new RbacAuthorizationV1Api(config), authz: new AuthorizationV1Api(config), version: new VersionApi(config) };
}

/**
 * Per-call options for a typed call: an AbortSignal, and for patch calls the patch type (the generated code would
 * send application/json-patch+json whatever the body is).
 */
export function callOptions(opts: { signal?: AbortSignal; patch?: "strategic" | "merge" | "json" }): ConfigurationOptions {
  const contentType = opts.patch && { strategic: PatchStrategy.StrategicMergePatch, merge: PatchStrategy.MergePatch, json: PatchStrategy.JsonPatch }[opts.patch];
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          if (opts.signal) ctx.setSignal(opts.signal);
          if (contentType) ctx.setHeaderParam("Content-Type", contentType);
          return new Observable(Promise.resolve(ctx));
        },
        post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
      },
    ],
    middlewareMergeStrategy: "append",
  };
}
