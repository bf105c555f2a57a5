/**
 * Delivers receiver events to webhook URLs: one POST per URL, 5 s timeout, no retries, failures ignored (upstream
 * §3.11). Unlike upstream, deliveries are tracked so shutdown can wait for the `stop` event (Q19).
 */

import { authHeaders, type WebhookAuth } from "./webhook-auth.ts";
import { webhookBody, type WebhookEvent, type WebhookEventName } from "./webhook-event.ts";

const TIMEOUT_MS = 5000;

export interface WebhookDispatcherOptions {
  urls: string[];
  /** Only these events are sent; empty = all. */
  events: WebhookEventName[];
  auth: WebhookAuth | null;
  /** Told about failed deliveries (they are never retried). */
  onFailure?: (url: string, reason: string) => void;
}

export class WebhookDispatcher {
  readonly #opts: WebhookDispatcherOptions;
  readonly #pending = new Set<Promise<void>>();

  constructor(opts: WebhookDispatcherOptions) {
    this.#opts = opts;
  }

  send(e: WebhookEvent): void {
    if (this.#opts.events.length > 0 && !this.#opts.events.includes(e.event)) return;
    const body = webhookBody(e);
    const headers = { "content-type": "application/json", ...authHeaders(this.#opts.auth, body) };
    for (const url of this.#opts.urls) {
      const p = fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then(async (res) => {
          await res.arrayBuffer().catch(() => {});
          if (!res.ok) this.#opts.onFailure?.(url, `HTTP ${res.status}`);
        })
        .catch((err: Error) => this.#opts.onFailure?.(url, err.message))
        .finally(() => this.#pending.delete(p));
      this.#pending.add(p);
    }
  }

  /** Waits for every delivery in flight (each bounded by the 5 s timeout). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
