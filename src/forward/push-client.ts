/**
 * One push attempt to `<target>/loki/api/v1/push` and what it means for the sender (§23.3): 2xx delivered; 5xx, 429
 * and transport errors worth retrying (Promtail, Alloy and Vector retry exactly those); any other 4xx refused for
 * good — resending the same bytes would get the same answer.
 */

import type { PushBatch } from "./push-batch.ts";

export type PushResult =
  | { kind: "ok" }
  | { kind: "retry"; error: string; retryAfterMs?: number }
  | { kind: "reject"; status: number; error: string };

export interface Pusher {
  push(batch: PushBatch, signal?: AbortSignal): Promise<PushResult>;
}

/** Upstream's HTTP client timeout (§23.3). */
export const PUSH_TIMEOUT_MS = 10_000;

export interface PushClientOptions {
  /** LOGTAP_TLS_SKIP_VERIFY: accept any certificate. */
  skipVerify: boolean;
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function firstLine(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  const line = text.split("\n", 1)[0]!.trim();
  return line.length > 200 ? line.slice(0, 200) + "…" : line;
}

export class PushClient implements Pusher {
  readonly url: string;
  readonly #tls: { rejectUnauthorized: boolean } | undefined;

  constructor(target: string, opts: PushClientOptions) {
    this.url = `${target.replace(/\/+$/, "")}/loki/api/v1/push`;
    this.#tls = opts.skipVerify ? { rejectUnauthorized: false } : undefined;
  }

  async push(batch: PushBatch, signal?: AbortSignal): Promise<PushResult> {
    const timeout = AbortSignal.timeout(PUSH_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        body: batch.body,
        headers: { "content-type": batch.contentType, "user-agent": "logtap-forwarder" },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        tls: this.#tls,
      } as RequestInit);
    } catch (e) {
      const error = timeout.aborted ? `no answer within ${PUSH_TIMEOUT_MS / 1000}s` : (e as Error).message;
      return { kind: "retry", error: `POST ${this.url}: ${error}` };
    }
    if (res.ok) {
      // Read the (empty) body so the connection goes back to the pool.
      await res.arrayBuffer().catch(() => undefined);
      return { kind: "ok" };
    }
    const error = `POST ${this.url}: ${res.status} ${await firstLine(res)}`.trimEnd();
    if (res.status >= 500 || res.status === 429) return { kind: "retry", error, retryAfterMs: retryAfterMs(res.headers.get("retry-after")) };
    return { kind: "reject", status: res.status, error };
  }
}
