/**
 * API errors with the exact `kind: Status` bodies of apimachinery's pkg/api/errors, so clients under test see what a
 * real API server sends: kubectl prints `message` verbatim ("Error from server (NotFound): ...") and client
 * libraries branch on `reason` and `code`.
 */

import type { ApiStatusError as ApiStatusErrorShape, KubeObject, ResourceType } from "./contract.ts";

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export class ApiStatusError extends Error implements ApiStatusErrorShape {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): KubeObject {
    const status: KubeObject = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: this.message, reason: this.reason } as KubeObject;
    // Go's omitempty: an empty details struct is still written when set, but its empty fields are not.
    if (this.details) status.details = stripEmpty(this.details);
    status.code = this.code;
    return status;
  }
}

function stripEmpty(d: StatusDetails): StatusDetails {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out as StatusDetails;
}

export function isApiStatusError(e: unknown): e is ApiStatusErrorShape {
  return typeof e === "object" && e !== null && typeof (e as any).code === "number" && typeof (e as any).toStatus === "function";
}

/** `deployments.apps`, or `pods` for the core group: GroupResource.String(). */
export function qualifiedResource(type: Pick<ResourceType, "group" | "resource">): string {
  return type.group ? `${type.resource}.${type.group}` : type.resource;
}

/** `Deployment.apps`, or `Pod`: GroupKind.String(), which Invalid errors name. */
export function qualifiedKind(type: Pick<ResourceType, "group" | "kind">): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

type GR = Pick<ResourceType, "group" | "resource">;

export function notFound(type: GR, name: string): ApiStatusError {
  return new ApiStatusError(404, "NotFound", `${qualifiedResource(type)} "${name}" not found`, { name, group: type.group, kind: type.resource });
}

export function namespaceNotFound(namespace: string): ApiStatusError {
  return notFound({ group: "", resource: "namespaces" }, namespace);
}

export function alreadyExists(type: GR, name: string): ApiStatusError {
  return new ApiStatusError(409, "AlreadyExists", `${qualifiedResource(type)} "${name}" already exists`, { name, group: type.group, kind: type.resource });
}

export const MODIFIED_MESSAGE = "the object has been modified; please apply your changes to the latest version and try again";

export function conflict(type: GR, name: string, why: string = MODIFIED_MESSAGE): ApiStatusError {
  return new ApiStatusError(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${why}`, { name, group: type.group, kind: type.resource });
}

export interface FieldError {
  /** "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported", "FieldValueForbidden", "FieldValueDuplicate". */
  reason: string;
  field: string;
  /** The text after the field path, e.g. `Required value` or `Invalid value: "x": must be ...`. */
  detail: string;
}

/** 422 Invalid: `Deployment.apps "web" is invalid: spec.selector: Required value` (several errors are joined in `[...]`). */
export function invalid(type: Pick<ResourceType, "group" | "kind">, name: string, errors: FieldError[]): ApiStatusError {
  const texts = errors.map((e) => `${e.field}: ${e.detail}`);
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`;
  return new ApiStatusError(422, "Invalid", `${qualifiedKind(type)} "${name}" is invalid: ${joined}`, {
    name,
    group: type.group,
    kind: type.kind,
    causes: errors.map((e) => ({ reason: e.reason, message: e.detail, field: e.field })),
  });
}

export function badRequest(message: string): ApiStatusError {
  return new ApiStatusError(400, "BadRequest", message);
}

export function unauthorized(): ApiStatusError {
  return new ApiStatusError(401, "Unauthorized", "Unauthorized");
}

/** 403 as the API server's authorization filter writes it; `details.kind` is the resource without its subresource. */
export function forbidden(type: GR, name: string | undefined, why: string): ApiStatusError {
  const subject = name ? `${qualifiedResource(type)} "${name}"` : qualifiedResource(type);
  return new ApiStatusError(403, "Forbidden", `${subject} is forbidden: ${why}`, { name, group: type.group, kind: type.resource });
}

/** 403 for a non-resource URL: `forbidden: User "x" cannot get path "/metrics"`. */
export function forbiddenPath(why: string): ApiStatusError {
  return new ApiStatusError(403, "Forbidden", `forbidden: ${why}`, {});
}

/** 410 for a watch or list from a resourceVersion older than the kept history. */
export function expired(message: string): ApiStatusError {
  return new ApiStatusError(410, "Expired", message);
}

export function gone(message: string): ApiStatusError {
  return new ApiStatusError(410, "Gone", message);
}

export function methodNotSupported(type: GR, action: string): ApiStatusError {
  return new ApiStatusError(405, "MethodNotAllowed", `${action} is not supported on resources of kind "${qualifiedResource(type)}"`, { group: type.group, kind: type.resource });
}

export const PATCH_MEDIA_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml", "application/strategic-merge-patch+json"];

export function unsupportedMediaType(contentType: string, accepted: string[] = PATCH_MEDIA_TYPES): ApiStatusError {
  return new ApiStatusError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`);
}

export function notAcceptable(): ApiStatusError {
  return new ApiStatusError(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml");
}

/** The plain 404 the API server gives for a path no group, version or resource serves. */
export function resourceNotServed(): ApiStatusError {
  return new ApiStatusError(404, "NotFound", "the server could not find the requested resource", {});
}

export function internalError(message: string): ApiStatusError {
  return new ApiStatusError(500, "InternalError", `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function serviceUnavailable(message: string): ApiStatusError {
  return new ApiStatusError(503, "ServiceUnavailable", message);
}

export function tooManyRequests(message: string, retryAfterSeconds = 1): ApiStatusError {
  return new ApiStatusError(429, "TooManyRequests", message, { retryAfterSeconds });
}

/** Namespaces being deleted refuse new content (the NamespaceLifecycle admission plugin). */
export function namespaceTerminating(type: GR, name: string, namespace: string): ApiStatusError {
  return forbidden(type, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
}

/** An error with an arbitrary code, for fault injection: the reason the API server would use for that code. */
export function statusForCode(code: number, message?: string): ApiStatusError {
  const reasons: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Gone",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
  };
  const reason = reasons[code] ?? "Unknown";
  return new ApiStatusError(code, reason, message ?? `injected ${code} ${reason}`, code === 429 ? { retryAfterSeconds: 1 } : undefined);
}
