/**
 * A pod's log (`pods/log`), streamed: byte chunks as they arrive, or lines. With `follow` the stream lasts until
 * the container stops, its log is rotated away, or `signal` aborts (which ends the iteration quietly). Errors of
 * the request (400 "a container name must be specified …", 404) are thrown by openPodLog, before any byte.
 */

import type { KubeTransport } from "../transport/transport.ts";
import { bodyChunks } from "./body-chunks.ts";
import { splitLines } from "./lines.ts";

export interface PodLogParams {
  container?: string;
  follow?: boolean;
  timestamps?: boolean;
  /** RFC 3339. */
  sinceTime?: string;
  sinceSeconds?: number;
  tailLines?: number;
  previous?: boolean;
  limitBytes?: number;
}

export interface PodLogStream extends AsyncIterable<Uint8Array> {
  /** The same stream as text lines; a last line without "\n" is yielded too. */
  lines(): AsyncIterable<string>;
}

export async function openPodLog(transport: KubeTransport, namespace: string, pod: string, params: PodLogParams = {}, signal?: AbortSignal): Promise<PodLogStream> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
  // Long-lived: a follower may hold hundreds of these open at once.
  const open = await transport.open({ path, query: { ...params }, accept: "*/*", signal }, { longLived: true });
  const chunks = bodyChunks(transport, open, signal);
  return {
    [Symbol.asyncIterator]: () => chunks,
    lines: () => splitLines(chunks, { tail: "yield" }),
  };
}
