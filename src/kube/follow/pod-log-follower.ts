/**
 * The Kubernetes half of the pod-log source (pipeline/sources/pod-log-source.ts): pods discovered by one
 * list+watch per scope (resolve-scopes.ts), one follower per container (pod UID + container name), all under one
 * stream budget and one request rate limit. Used with discovery by `recv --follow`, and with a fixed pod
 * (`podScope`, a container filter) by the forwarder for its own pod's siblings.
 */

import type { EntryProducer, EntrySink } from "../../../pipeline/sources/pod-log-source.ts";
import type { Cluster } from "../connect.ts";
import { containerLabels } from "./container-labels.ts";
import { ContainerFollower } from "./container-follower.ts";
import type { FollowEvents } from "./follow-events.ts";
import type { Pod } from "./pod.ts";
import { PodWatcher } from "./pod-watcher.ts";
import type { PodScope } from "./resolve-scopes.ts";
import type { Instant } from "./resume-cursor.ts";
import { budgetWarning, StreamBudget } from "./stream-budget.ts";
import { TokenBucket } from "./token-bucket.ts";
import { ProblemDigest } from "./problem-digest.ts";

/**
 * Default `--max-streams`. Measured (docs/benchmarks.md, Follow): 500 containers followed at once stay within the
 * 300 MB target, so 500 is the default; stern's 50 would leave most of a large namespace unread.
 */
export const DEFAULT_MAX_STREAMS = 500;
/**
 * Requests per second (and burst) for opening and resuming streams, the checks of young instances (a `get pod`
 * each) and watching pods. client-go's 5/10 would take 100 s to open 500 streams, as kubectl does; 50/100 (kubectl's
 * own discovery QPS) opens them in 8 s, twice that with their checks, and spreads the reconnects after an outage
 * over as long.
 */
export const DEFAULT_QPS = 50;
export const DEFAULT_BURST = 100;

export interface PodLogFollowerOptions {
  scopes: PodScope[];
  /** Which containers of a pod to follow (app and init containers are offered); all by default. */
  containers?: (name: string, pod: Pod) => boolean;
  /** Lines older than this are not taken: the start (less `--since`). */
  floor: Instant;
  maxStreams?: number;
  qps?: number;
  burst?: number;
  /** Labels added to every entry (the forwarder's session). */
  extraLabels?: Readonly<Record<string, string>>;
  events: FollowEvents;
}

export class PodLogFollower implements EntryProducer {
  constructor(
    private readonly cluster: Cluster,
    private readonly o: PodLogFollowerOptions,
  ) {}

  async run(sink: EntrySink, signal: AbortSignal): Promise<void> {
    const o = this.o;
    const limiter = new TokenBucket(o.qps ?? DEFAULT_QPS, o.burst ?? DEFAULT_BURST);
    let open = 0;
    const budget = new StreamBudget(
      o.maxStreams ?? DEFAULT_MAX_STREAMS,
      (_slots, waiting) => o.events.streams(open, waiting),
      (r) => (o.events.budget ? o.events.budget(r) : o.events.warning(budgetWarning(r))),
    );
    const digest = new ProblemDigest((text) => o.events.warning(text));
    const streamOpen = (delta: 1 | -1) => {
      open += delta;
      o.events.streams(open, budget.waiting);
    };
    const env = { cluster: this.cluster, sink, limiter, budget, events: o.events, floor: o.floor, signal, streamOpen, streamFailed: (name: string, e: unknown) => digest.add(name, e) };
    const followers = new Map<string, { pod: string; follower: ContainerFollower; done: Promise<void> }>();
    const byPod = new Map<string, string[]>();

    const upsert = (pod: Pod) => {
      const uid = pod.metadata.uid;
      const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name).filter((n) => o.containers?.(n, pod) ?? true);
      for (const name of names) {
        const key = `${uid}/${name}`;
        const known = followers.get(key);
        if (known) {
          known.follower.update(pod);
          continue;
        }
        const follower = new ContainerFollower(pod, name, containerLabels(pod, name, o.extraLabels), env);
        const done = follower
          .run()
          .catch((e) => o.events.warning(`following ${follower.name} stopped: ${(e as Error).message}`))
          .finally(() => followers.delete(key));
        followers.set(key, { pod: uid, follower, done });
      }
      byPod.set(uid, names);
    };
    const remove = (uid: string) => {
      for (const name of byPod.get(uid) ?? []) followers.get(`${uid}/${name}`)?.follower.remove();
      byPod.delete(uid);
    };
    const handlers = { upsert, remove, failed: (what: string, e: unknown) => digest.add(what, e), reconnect: () => o.events.reconnect() };
    const watchers = o.scopes.map((scope) => new PodWatcher(this.cluster, scope, limiter, handlers).run(signal));
    await Promise.all(watchers);
    // Stopped: every follower ends too (their streams are aborted by the same signal).
    await Promise.all([...followers.values()].map((f) => f.done));
    digest.flush();
  }
}
