/**
 * Worker entry point: the receiver's pipeline up to the ingest queue — decode (snappy + protobuf, JSON) → redact —
 * runs here, off the main thread, which then only moves bytes, queues and writes. Listed as an entry point in
 * scripts/build.ts.
 */

import type { EntryBatch } from "../model/entry.ts";
import { packEntries } from "../../pipeline/packed-entries.ts";
import { RedactStream } from "../../pipeline/stages/redact.ts";
import { PushDecodeError } from "../protocols/push-decode-error.ts";
import { createRedactor } from "../redact/redactor.ts";
import { gcHintEvery } from "../workers/gc-hint.ts";
import { serveRpc } from "../workers/worker-rpc.ts";
import { HttpError } from "./http-error.ts";
import { GC_HINT_PUSHES, type DecodeReply, type DecodeRequest, type RedactConfig } from "./push-decode-pool.ts";
import { PUSH_DECODERS } from "./push-formats.ts";

/** The redact stage of this worker, built on first use; its hit counts are collected per push and sent back. */
interface RedactSegment {
  key: string;
  writer: WritableStreamDefaultWriter<EntryBatch>;
  reader: ReadableStreamDefaultReader<EntryBatch>;
  hits: Map<string, number>;
}

let segment: RedactSegment | null = null;
const collectSometimes = gcHintEvery(GC_HINT_PUSHES);

async function redactSegment(config: RedactConfig): Promise<RedactSegment> {
  const key = JSON.stringify(config);
  if (segment?.key === key) return segment;
  const hits = new Map<string, number>();
  const redactor = await createRedactor({ ...config, onHit: (name, n) => hits.set(name, (hits.get(name) ?? 0) + n) });
  const stage = new RedactStream(redactor);
  segment = { key, writer: stage.writable.getWriter(), reader: stage.readable.getReader(), hits };
  return segment;
}

serveRpc<DecodeRequest, DecodeReply>(
  async ({ format, body, maxDecoded, redact }) => {
    const decoded = PUSH_DECODERS[format](body, maxDecoded);
    const rejected = Array.isArray(decoded) ? { rejected: 0, errorMessage: "" } : { rejected: decoded.rejected, errorMessage: decoded.errorMessage };
    let batch: EntryBatch = { entries: Array.isArray(decoded) ? decoded : decoded.entries };
    let redactions: [string, number][] = [];
    if (redact) {
      const s = await redactSegment(redact);
      // serveRpc runs one request at a time, so the batch read back is the one just written.
      void s.writer.write(batch);
      batch = (await s.reader.read()).value!;
      redactions = [...s.hits];
      s.hits.clear();
    }
    const { packed, transfer } = packEntries(batch.entries);
    collectSometimes();
    return { result: { packed, redactions, ...rejected }, transfer };
  },
  // The HTTP status is all the main thread needs to answer as it would have: 413, 400 for a bad body, else 500.
  (e) => (e instanceof HttpError ? e.status : e instanceof PushDecodeError ? 400 : 500),
);
