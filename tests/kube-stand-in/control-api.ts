/**
 * The stand-in's control API over HTTP, for a person at a shell or a test in another process: the same controls a
 * test has in-process (tokens, RBAC rules, faults, service proxy targets, compaction, identities, the request
 * log, image → program mappings), under /stand-in/ on the API server's own port, for system:masters only (the admin kubeconfig's identity).
 * `GET /stand-in/` lists the endpoints. Bodies are JSON.
 */

import type { UserInfo } from "./authn.ts";
import type { FailRule } from "./faults.ts";
import type { TestRule } from "./rbac.ts";
import { json, pageNotFound, statusResponse } from "./responses.ts";
import type { StandIn } from "./stand-in.ts";
import { ApiStatusError, badRequest, forbiddenPath, isApiStatusError, unauthorized } from "./status-errors.ts";

const ENDPOINTS = {
  "GET /stand-in/": "this list",
  "GET /stand-in/state": "version, resourceVersion, oldest watchable resourceVersion, faults, test RBAC rules, service targets",
  "GET /stand-in/requests?since=SEQ": "the request log after SEQ (method, path, user, verb, resource, name, code)",
  "POST /stand-in/tokens": '{"token":"t","user":"alice","groups":["dev"]} — a bearer token for an identity',
  "POST /stand-in/kubeconfig": '{"user":"alice","groups":["dev"],"namespace":"default","token":"optional"} → kubeconfig YAML for that identity',
  "PUT /stand-in/rbac": '{"subject":{"user":"alice"}|{"group":"dev"}|{"serviceAccount":{"namespace":"ns","name":"sa"}},"rules":[{"verbs":["get"],"apiGroups":["apps"],"resources":["deployments"],"resourceNames":[],"namespaces":["default"]}]} — replaces that subject\'s rules ([] removes them)',
  "DELETE /stand-in/rbac": "drops every test rule (stored Role/RoleBinding objects stay)",
  "POST /stand-in/faults/conflict": '{"group":"apps","resource":"deployments","namespace":"default","name":"web","count":1} — the next writes meet another writer first',
  "POST /stand-in/faults/fail": '{"verb":"patch","group":"apps","resource":"deployments","namespace":"default","name":"web","code":500,"message":"boom","count":1}',
  "POST /stand-in/faults/drop-watches": '{"group":"","resource":"pods","namespace":"default","mode":"end"|"reset","afterEvents":0,"next":false} — drop open watches now (or the next one with "next":true)',
  "PUT /stand-in/faults/delay": '{"ms":500} — delay every API response',
  "POST /stand-in/faults/unreachable": '{"mode":"refuse"|"hang","forMs":2000} — stop answering for a while (comes back by itself)',
  "DELETE /stand-in/faults": "clear every pending fault, the delay, and unreachability",
  "POST /stand-in/compact": "drop the watch history: watches from older resourceVersions get 410",
  "PUT /stand-in/service-proxy": '{"namespace":"default","name":"web","port":"8080","url":"http://127.0.0.1:9000"} — services/proxy target (url null removes)',
  "GET /stand-in/images": "the image → program mappings (pods that run programs)",
  "PUT /stand-in/images": '{"pattern":"ghcr.io/logtap/logtap-forwarder:*","command":["dist/logtap-forwarder"],"args":[],"env":{},"cwd":"/path","paths":{"/app":"dist/app"}} — containers of matching images run that program',
  "DELETE /stand-in/images": '{"pattern":"..."} — remove one mapping ({} removes them all)',
};

async function body(request: Request): Promise<any> {
  const t = await request.text();
  if (!t.trim()) return {};
  try {
    return JSON.parse(t);
  } catch (e) {
    throw badRequest(`the control API takes JSON bodies: ${(e as Error).message}`);
  }
}

export function controlApi(k: StandIn) {
  return async (request: Request, url: URL, user: UserInfo | undefined): Promise<Response> => {
    try {
      if (!user) throw unauthorized();
      if (!user.groups.includes("system:masters")) throw forbiddenPath(`User "${user.name}" cannot ${request.method.toLowerCase()} path "${url.pathname}"`);
      const route = `${request.method} ${url.pathname.replace(/\/+$/, "") || "/stand-in"}`;
      switch (route) {
        case "GET /stand-in":
          return json({ endpoints: ENDPOINTS });
        case "GET /stand-in/state":
          return json({
            url: k.url,
            version: k.version,
            resourceVersion: k.store.resourceVersion,
            oldestWatchableResourceVersion: k.store.oldestWatchableResourceVersion,
            faults: k.faults.describe(),
            rbac: k.rbac.testRules(),
            serviceTargets: Object.fromEntries(k.server.serviceTargets),
            images: k.images.describe(),
          });
        case "GET /stand-in/requests": {
          const since = Number(url.searchParams.get("since") ?? "0");
          return json({ requests: k.requests.filter((r) => r.seq > since) });
        }
        case "POST /stand-in/tokens": {
          const b = await body(request);
          if (!b.token || !b.user) throw badRequest("token and user are required");
          k.addToken(b.token, b.user, b.groups ?? []);
          return json({ ok: true }, 201);
        }
        case "POST /stand-in/kubeconfig": {
          const b = await body(request);
          if (!b.user) throw badRequest("user is required");
          return new Response(k.kubeconfigText({ user: b.user, groups: b.groups ?? [], namespace: b.namespace, token: b.token }), { headers: { "content-type": "application/yaml" } });
        }
        case "PUT /stand-in/rbac": {
          const b = await body(request);
          if (!b.subject || !Array.isArray(b.rules)) throw badRequest("subject and rules are required");
          k.setRules(b.subject, b.rules as TestRule[]);
          return json({ ok: true });
        }
        case "DELETE /stand-in/rbac":
          k.rbac.clearRules();
          return json({ ok: true });
        case "POST /stand-in/faults/conflict": {
          const b = await body(request);
          if (!b.resource || !b.name) throw badRequest("resource and name are required");
          k.faults.conflictNextWrites({ group: b.group ?? "", resource: b.resource, namespace: b.namespace, name: b.name }, b.count ?? 1);
          return json({ ok: true });
        }
        case "POST /stand-in/faults/fail": {
          const b = (await body(request)) as FailRule;
          if (typeof b.code !== "number") throw badRequest("code is required");
          k.faults.failNext({ ...b, count: b.count === -1 ? Infinity : b.count });
          return json({ ok: true });
        }
        case "POST /stand-in/faults/drop-watches": {
          const b = await body(request);
          const filter = { group: b.group, resource: b.resource, namespace: b.namespace };
          if (b.next) {
            k.faults.dropNextWatches({ ...filter, afterEvents: b.afterEvents, count: b.count, mode: b.mode });
            return json({ ok: true });
          }
          return json({ dropped: k.faults.dropWatches(filter, b.mode ?? "end") });
        }
        case "PUT /stand-in/faults/delay": {
          const b = await body(request);
          k.faults.delayMs = Number(b.ms ?? 0);
          return json({ ok: true });
        }
        case "POST /stand-in/faults/unreachable": {
          const b = await body(request);
          const forMs = Number(b.forMs ?? 0);
          if (!(forMs > 0)) throw badRequest("forMs is required: over HTTP nobody could bring it back otherwise");
          // Answer first, then go away.
          setTimeout(() => void k.faults.setUnreachable(b.mode === "hang" ? "hang" : "refuse", forMs), 50);
          return json({ ok: true });
        }
        case "DELETE /stand-in/faults":
          await k.faults.clear();
          return json({ ok: true });
        case "POST /stand-in/compact":
          k.store.compact();
          return json({ ok: true, oldestWatchableResourceVersion: k.store.oldestWatchableResourceVersion });
        case "PUT /stand-in/service-proxy": {
          const b = await body(request);
          if (!b.namespace || !b.name) throw badRequest("namespace and name are required");
          k.setServiceTarget(b.namespace, b.name, b.url ?? undefined, b.port);
          return json({ ok: true });
        }
        case "GET /stand-in/images":
          return json({ images: k.images.describe() });
        case "PUT /stand-in/images": {
          const b = await body(request);
          if (typeof b.pattern !== "string" || !Array.isArray(b.command) || !b.command.length) throw badRequest("pattern and command (a non-empty array) are required");
          k.mapImage(b.pattern, { command: b.command.map(String), args: b.args, env: b.env, cwd: b.cwd, paths: b.paths });
          return json({ ok: true });
        }
        case "DELETE /stand-in/images": {
          const b = await body(request);
          if (b.pattern === undefined) for (const i of k.images.describe()) k.unmapImage(i.pattern);
          else if (!k.unmapImage(String(b.pattern))) throw new ApiStatusError(404, "NotFound", `no mapping for image pattern "${b.pattern}"`);
          return json({ ok: true });
        }
      }
      return pageNotFound();
    } catch (e) {
      if (isApiStatusError(e)) return statusResponse(e);
      throw e;
    }
  };
}
