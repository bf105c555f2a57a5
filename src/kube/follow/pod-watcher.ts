/**
 * One list+watch of pods per scope, as an informer keeps it: the watch starts from the list's resourceVersion and
 * is reopened from the last version seen whenever it ends (the server's timeoutSeconds, a dropped connection); a
 * 410 Expired (that version is older than the server keeps) means list again — pods missing from the new list were
 * deleted meanwhile. Errors are retried with back-off, never fatal: the followers keep reading what they have.
 */

import type { Cluster } from "../connect.ts";
import { isGone } from "../errors/kube-error.ts";
import { podsPath, type Pod, type PodList } from "./pod.ts";
import type { PodScope } from "./resolve-scopes.ts";
import type { TokenBucket } from "./token-bucket.ts";

export interface PodHandlers {
  upsert(pod: Pod): void;
  remove(uid: string): void;
  /** The watch failed (it is retried); for a digest of problems. */
  failed(what: string, error: unknown): void;
  reconnect(): void;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

export class PodWatcher {
  readonly #known = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly scope: PodScope,
    private readonly limiter: TokenBucket,
    private readonly handlers: PodHandlers,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    const { scope } = this;
    const query = { labelSelector: scope.labelSelector, fieldSelector: scope.fieldSelector };
    let rv = this.#apply(scope.initial);
    let relist = false;
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.limiter.take(signal);
        if (relist) {
          rv = this.#apply(await this.cluster.request<PodList>({ path: podsPath(scope.namespace), query, signal }));
          relist = false;
          continue;
        }
        // Randomised like client-go's informers, so many watches do not all end at the same moment.
        const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
        const events = await this.cluster.watch<Pod>(podsPath(scope.namespace), { ...query, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds }, signal);
        for await (const e of events) {
          rv = e.object.metadata?.resourceVersion ?? rv;
          failures = 0;
          if (e.type === "BOOKMARK") continue;
          if (e.type === "DELETED") this.#remove(e.object.metadata.uid);
          else this.#upsert(e.object);
        }
        if (!signal.aborted) this.handlers.reconnect();
      } catch (e) {
        if (signal.aborted) return;
        if (isGone(e)) {
          relist = true;
          continue;
        }
        this.handlers.failed(`watch pods ${scope.namespace === null ? "in every namespace" : `in ${scope.namespace}`}`, e);
        failures++;
        await sleep(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (failures - 1)), signal);
        this.handlers.reconnect();
      }
    }
  }

  /** A full list: every pod upserted, the ones no longer there removed; returns its resourceVersion. */
  #apply(list: PodList): string | undefined {
    const seen = new Set<string>();
    for (const pod of list.items ?? []) {
      seen.add(pod.metadata.uid);
      this.#upsert(pod);
    }
    for (const uid of [...this.#known]) if (!seen.has(uid)) this.#remove(uid);
    return list.metadata?.resourceVersion;
  }

  /**
   * A pod followed once stays followed while its status keeps coming, even if its labels stop matching the targets
   * (in a watch the server filters, it leaves with a DELETED event instead).
   */
  #upsert(pod: Pod): void {
    if (!this.#known.has(pod.metadata.uid) && !this.scope.match(pod)) return;
    this.#known.add(pod.metadata.uid);
    this.handlers.upsert(pod);
  }

  #remove(uid: string): void {
    if (!this.#known.delete(uid)) return;
    this.handlers.remove(uid);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
