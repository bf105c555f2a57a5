/** Response helpers: JSON bodies as the API server writes them, Status bodies for errors. */

import type { ApiStatusError } from "./contract.ts";
import { badRequest } from "./status-errors.ts";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-cache, private", ...headers } });
}

export function statusResponse(e: ApiStatusError): Response {
  const headers: Record<string, string> = {};
  const retry = (e as any).details?.retryAfterSeconds;
  if (retry) headers["retry-after"] = String(retry);
  return json(e.toStatus(), e.code, headers);
}

export function text(body: string, status = 200, contentType = "text/plain; charset=utf-8"): Response {
  return new Response(body, { status, headers: { "content-type": contentType, "cache-control": "no-cache, private", "x-content-type-options": "nosniff" } });
}

/** The Go mux's answer for a path nothing serves. */
export function pageNotFound(): Response {
  return text("404 page not found\n", 404);
}

/** A success Status, as a delete of an object without ReturnDeletedObject answers. */
export function successStatus(details: Record<string, unknown>): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) if (v !== undefined && v !== "") d[k] = v;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: d };
}

/** A request body as JSON or YAML (kubectl sends JSON; a person with curl may send YAML). */
export function parseBody(body: string, contentType: string | null): unknown {
  const base = (contentType ?? "application/json").split(";")[0].trim().toLowerCase();
  if (body.trim() === "") throw badRequest("the body of the request is empty");
  try {
    if (base === "application/yaml" || base === "application/x-yaml" || base === "text/yaml") return Bun.YAML.parse(body);
    return JSON.parse(body);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}
