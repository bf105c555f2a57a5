/**
 * The review resources, answered and never stored: SelfSubjectAccessReview (`kubectl auth can-i`),
 * SelfSubjectRulesReview (`kubectl auth can-i --list`), SubjectAccessReview (asking about someone else),
 * SelfSubjectReview (`kubectl auth whoami`) and TokenReview. Each answers 201 with the spec echoed and a status.
 */

import type { Authenticator, UserInfo } from "./authn.ts";
import type { Authorizer } from "./rbac.ts";
import type { RequestContext } from "./rest-handlers.ts";
import { json, parseBody } from "./responses.ts";
import { badRequest, methodNotSupported } from "./status-errors.ts";

function accessDecision(authz: Authorizer, user: UserInfo, spec: any) {
  const ra = spec?.resourceAttributes;
  const nra = spec?.nonResourceAttributes;
  if (!ra && !nra) throw badRequest("exactly one of nonResourceAttributes or resourceAttributes must be specified");
  const d = ra
    ? authz.authorize({
        user,
        verb: ra.verb ?? "",
        isResourceRequest: true,
        path: "",
        apiGroup: ra.group ?? "",
        resource: ra.resource ?? "",
        subresource: ra.subresource ?? "",
        namespace: ra.namespace ?? "",
        name: ra.name ?? "",
      })
    : authz.authorize({ user, verb: nra.verb ?? "", isResourceRequest: false, path: nra.path ?? "", apiGroup: "", resource: "", subresource: "", namespace: "", name: "" });
  const status: Record<string, unknown> = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  return status;
}

export async function handleReview(authn: Authenticator, authz: Authorizer, c: RequestContext): Promise<Response> {
  if (c.info.verb !== "create") throw methodNotSupported(c.type, c.info.verb);
  const body = parseBody(await c.body(), c.request.headers.get("content-type")) as any;
  const spec = body?.spec ?? {};
  const head = { kind: c.type.kind, apiVersion: `${c.type.group}/${c.type.version}`, metadata: { creationTimestamp: null } };
  switch (c.type.resource) {
    case "selfsubjectaccessreviews":
      return json({ ...head, spec, status: accessDecision(authz, c.user, spec) }, 201);
    case "subjectaccessreviews": {
      const user: UserInfo = { name: spec.user ?? "", groups: spec.groups ?? [], uid: spec.uid };
      return json({ ...head, spec, status: accessDecision(authz, user, spec) }, 201);
    }
    case "selfsubjectrulesreviews": {
      const rules = authz.rulesFor(c.user, spec.namespace ?? "");
      return json({ ...head, spec, status: { ...rules, incomplete: false } }, 201);
    }
    case "selfsubjectreviews":
      return json({ ...head, status: { userInfo: { username: c.user.name, ...(c.user.uid ? { uid: c.user.uid } : {}), groups: c.user.groups } } }, 201);
    case "tokenreviews": {
      const user = spec.token ? authn.tokenUser(spec.token) : undefined;
      const groups = user ? [...user.groups, "system:authenticated"] : [];
      const status = user ? { authenticated: true, user: { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups }, audiences: spec.audiences ?? [] } : { user: {} };
      return json({ ...head, spec, status }, 201);
    }
  }
  throw methodNotSupported(c.type, c.info.verb);
}
