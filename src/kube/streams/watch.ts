/**
 * Watch: newline-delimited JSON events streamed from Bun's fetch (client-node's Watch uses undici's fetch, which
 * under Bun drops the TLS material). The iteration ends when the server closes the stream (its timeoutSeconds, a
 * restart) and throws an "unreachable" KubeError when the connection drops: either way, watch again from the last
 * resourceVersion seen, as every Kubernetes client must. An ERROR event (410 Expired: that resourceVersion is too
 * old) is thrown as a KubeApiError; list again then.
 */

import { apiErrorFromStatus } from "../errors/from-response.ts";
import { KubeError, type KubeStatus } from "../errors/kube-error.ts";
import { describeRequest } from "../errors/describe-request.ts";
import type { KubeTransport, QueryValue } from "../transport/transport.ts";
import { bodyChunks } from "./body-chunks.ts";
import { splitLines } from "./lines.ts";

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";

export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchParams {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; unset = the current state as ADDED events first. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Ask the server to end the stream after this long. */
  timeoutSeconds?: number;
  [k: string]: QueryValue;
}

/**
 * Opens a watch of a list path (`/apis/apps/v1/namespaces/default/deployments`); errors of the request itself
 * (403, 404, unreachable) are thrown here, before the first event. Aborting `signal` ends the iteration quietly.
 */
export async function openWatch<T = KubeObject>(
  transport: KubeTransport,
  path: string,
  params: WatchParams = {},
  signal?: AbortSignal,
): Promise<AsyncIterable<WatchEvent<T>>> {
  const open = await transport.open({ path, query: { ...params, watch: true }, signal });
  const ctx = { server: transport.server, user: "" };
  return (async function* () {
    // A line cut off by a dropped connection is no event: the stream just ended.
    for await (const line of splitLines(bodyChunks(transport, open, signal), { tail: "drop" })) {
      if (line.trim() === "") continue;
      let event: { type?: string; object?: unknown };
      try {
        event = JSON.parse(line);
      } catch {
        throw new KubeError(`${describeRequest(open.attributes)}: the API server sent a malformed watch event: ${line.slice(0, 100)}`, "api");
      }
      if (event.type === "ERROR") {
        const status = event.object as KubeStatus;
        throw apiErrorFromStatus(status.code ?? 500, status, "", open.attributes, ctx);
      }
      yield event as WatchEvent<T>;
    }
  })();
}
