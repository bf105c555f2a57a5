/**
 * A streamed response body as an async iterator of byte chunks that ends quietly when the caller aborts (they asked
 * for it), maps any other failure to a KubeError, and releases the connection when the consumer stops early.
 */

import type { OpenResponse, KubeTransport } from "../transport/transport.ts";

export async function* bodyChunks(transport: KubeTransport, open: OpenResponse, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const body = open.response.body;
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      let r: Awaited<ReturnType<typeof reader.read>>;
      try {
        r = await reader.read();
      } catch (e) {
        if (signal?.aborted) return;
        throw transport.streamError(e, open.attributes, signal);
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // A consumer that breaks out early (or an abort) must not leave the connection streaming.
    await reader.cancel().catch(() => {});
  }
}
