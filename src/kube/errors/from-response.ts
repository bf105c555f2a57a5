/** An error answer from the API server → KubeApiError, keeping the server's own Status message where it has one. */

import { STATUS_CODES } from "node:http";
import { KubeApiError, type KubeStatus } from "./kube-error.ts";
import { describeRequest, type RequestAttributes } from "./describe-request.ts";

/** A Status body is small; a proxy's HTML error page need not be read whole. */
const MAX_ERROR_BODY = 64 * 1024;

export interface ErrorContext {
  server: string;
  user: string;
}

export async function apiErrorFromResponse(res: Response, req: RequestAttributes, ctx: ErrorContext): Promise<KubeApiError> {
  const text = (await res.text().catch(() => "")).slice(0, MAX_ERROR_BODY);
  return apiErrorFromBody(res.status, text, req, ctx);
}

export function apiErrorFromBody(status: number, text: string, req: RequestAttributes, ctx: ErrorContext): KubeApiError {
  const body = parseStatus(text);
  return apiErrorFromStatus(status, body, text, req, ctx);
}

export function apiErrorFromStatus(status: number, body: KubeStatus | undefined, text: string, req: RequestAttributes, ctx: ErrorContext): KubeApiError {
  const reason = body?.reason || STATUS_CODES[status]?.replaceAll(" ", "") || "Unknown";
  const serverMessage = body?.message?.trim();
  let message: string;
  if (status === 401) {
    // The server only ever says "Unauthorized": name what was asked and whose credentials were refused.
    message = `cannot ${describeRequest(req)}: the Kubernetes API server at ${ctx.server} did not accept the credentials of user "${ctx.user}" (401 Unauthorized)`;
  } else if (serverMessage) {
    // 403, 404, 409, 422 …: the Status message already names the verb, resource and object, as kubectl shows it.
    message = serverMessage;
  } else {
    const snippet = text.trim().split("\n")[0]?.slice(0, 200);
    message = `${describeRequest(req)}: ${status} ${STATUS_CODES[status] ?? ""} from the Kubernetes API server at ${ctx.server}${snippet ? `: ${snippet}` : ""}`.replace(/ +:/, ":");
  }
  return new KubeApiError(message.replaceAll("\n", " "), status, reason, body);
}

function parseStatus(text: string): KubeStatus | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const v = JSON.parse(text) as KubeStatus;
    return v && typeof v === "object" && v.kind === "Status" ? v : undefined;
  } catch {
    return undefined;
  }
}
