/**
 * Decodes (and, with --redact, redacts) push bodies on worker threads: decoding and redaction were most of the
 * receiver's main-thread time at saturation (snappy + protobuf or JSON.parse; the PII patterns). Calls go to the
 * worker with the fewest outstanding pushes; a worker that dies is replaced, and the pushes it held are answered 500
 * (they were not queued, so nothing is lost silently — the client retries).
 */

import type { Entry } from "../model/entry.ts";
import { unpackEntries, type PackedEntries } from "../../pipeline/packed-entries.ts";
import { PushDecodeError } from "../protocols/push-decode-error.ts";
import { bundledWorkerUrl } from "../workers/bundled-worker-url.ts";
import { defaultWorkerCount, spareCoreCount } from "../workers/worker-count.ts";
import { RemoteError, WorkerRpc } from "../workers/worker-rpc.ts";
import { HttpError } from "./http-error.ts";
import type { PushFormat } from "./push-formats.ts";

/** Pushes between garbage-collection hints, on the workers and on the main thread (src/workers/gc-hint.ts). */
export const GC_HINT_PUSHES = 8;

/** What the workers build their redactor from (the main thread has already compiled it once, so it is valid). */
export interface RedactConfig {
  names: string[];
  customFile?: string;
}

export interface DecodeRequest {
  format: PushFormat;
  body: Uint8Array;
  maxDecoded: number;
  redact: RedactConfig | null;
}

export interface DecodeReply {
  packed: PackedEntries;
  /** Pattern → hits in this push (the `logtap_redactions_total` increments). */
  redactions: [string, number][];
  /** OTLP records not turned into entries, and why (0 and "" for other formats). */
  rejected: number;
  errorMessage: string;
}

export interface DecodedPush {
  entries: Entry[];
  msgBytes: number;
  redactions: [string, number][];
  rejected: number;
  errorMessage: string;
}

export class PushDecodePool {
  readonly #url = bundledWorkerUrl("server/push-decode-worker");
  readonly #workers: WorkerRpc<DecodeRequest, DecodeReply>[] = [];
  readonly #redact: RedactConfig | null;

  constructor(options: { redact: RedactConfig | null; size?: number }) {
    this.#redact = options.redact;
    // With --redact the workers carry two thirds of the work; without it, about half.
    const size = options.size ?? (options.redact ? defaultWorkerCount() : spareCoreCount());
    for (let i = 0; i < size; i++) this.#workers.push(this.#spawn());
  }

  /** Throws what the inline decoder would: HttpError 413 over the limit, PushDecodeError for a malformed body. */
  async decode(format: PushFormat, body: Uint8Array, maxDecoded: number): Promise<DecodedPush> {
    const rpc = this.#pick();
    // The body is moved to the worker, not copied; it is not used here again.
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : body.slice();
    try {
      const { packed, ...rest } = await rpc.call({ format, body: owned, maxDecoded, redact: this.#redact }, [owned.buffer as ArrayBuffer]);
      return { entries: unpackEntries(packed), msgBytes: packed.msgBytes, ...rest };
    } catch (e) {
      if (!(e instanceof RemoteError)) throw e;
      if (e.data === 400) throw new PushDecodeError(e.message);
      throw new HttpError(typeof e.data === "number" ? e.data : 500, e.message);
    }
  }

  close(): void {
    for (const w of this.#workers) w.terminate();
    this.#workers.length = 0;
  }

  #spawn(): WorkerRpc<DecodeRequest, DecodeReply> {
    const rpc = new WorkerRpc<DecodeRequest, DecodeReply>(this.#url, "push decode");
    rpc.unref();
    return rpc;
  }

  #pick(): WorkerRpc<DecodeRequest, DecodeReply> {
    let best = 0;
    for (let i = 0; i < this.#workers.length; i++) {
      if (this.#workers[i]!.failed) this.#workers[i] = this.#spawn();
      if (this.#workers[i]!.pending < this.#workers[best]!.pending) best = i;
    }
    return this.#workers[best]!;
  }
}
