/**
 * A streamed response body as an async iterator of byte chunks that releases the connection however the loop ends,
 * and what a failed read turns into; `bodyChunks` is the API server's case of it.
 */

import type { OpenResponse, KubeTransport } from "../transport/transport.ts";

/** A failed read throws what `failure` gives for it, or ends the chunks quietly where it gives undefined. */
export async function* readChunks(body: ReadableStream<Uint8Array> | null, failure: (e: unknown) => unknown): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      let r: Awaited<ReturnType<typeof reader.read>>;
      try {
        r = await reader.read();
      } catch (e) {
        const thrown = failure(e);
        if (thrown === undefined) return;
        throw thrown;
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // A consumer that breaks out early (or an abort) must not leave the connection streaming.
    await reader.cancel().catch(() => {});
  }
}

/** Ends quietly when the caller aborts (they asked for it) and maps any other failure to a KubeError. */
export function bodyChunks(transport: KubeTransport, open: OpenResponse, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  return readChunks(open.response.body, (e) => (signal?.aborted ? undefined : transport.streamError(e, open.attributes, signal)));
}
