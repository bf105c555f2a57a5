/**
 * Follows one container of one pod (keyed by pod UID and container name) through its instances (keyed by container
 * ID): reads each instance's log with timestamps, resumes a stream that ended from the cursor, joins split lines,
 * and records as gaps what the node no longer has. The pod watcher keeps its status fresh; the loop re-plans
 * (instance-plan.ts) after every stream and whenever the status changes.
 *
 * How a stream ended decides whether a resume without proof of continuity is a gap: a follow stream the server
 * ended cleanly ended at a log rotation (or the server's own timeout), after everything before it was sent, so the
 * next file follows on; one cut by the network may have missed a rotation, and then the lines rotated away while it
 * was down are gone. A clean end is trusted only if the stream is resumed within KUBELET_ROTATION_PERIOD_MS: the
 * kubelet checks log sizes every 10 s (containerLogMonitorInterval), so no two rotations come closer than that, and
 * only a later resume can have missed a whole file.
 *
 * `pods/log` serves whichever instance is current when the request arrives, and the status the follower planned on
 * may be behind: the instance it meant to resume may have stopped and been replaced meanwhile. Reading the
 * replacement as if it were the same instance would move the cursor past what the stopped one still had, and its
 * last lines (read next with `previous=true`) would be skipped as seen. So the lines of a stream that cannot prove it
 * is the planned instance — a resume that does not serve the last record again, or the first stream of an instance
 * younger than YOUNG_SEC (a crash loop restarts at once) — are held back until a fresh read of the pod shows no newer
 * instance; otherwise they are dropped, the cursor put back, and the plan made again.
 */

import type { Entry, Labels } from "../../model/entry.ts";
import type { EntrySink } from "../../../pipeline/sources/pod-log-source.ts";
import type { Cluster } from "../connect.ts";
import { KubeApiError } from "../errors/kube-error.ts";
import type { FollowEvents, FollowGap } from "./follow-events.ts";
import { containerView, finish, firstLook, planInstance, type ContainerView, type FollowState, type Plan } from "./instance-plan.ts";
import { parseLogLine } from "./log-records.ts";
import type { Pod } from "./pod.ts";
import { ResumeCursor, type Instant } from "./resume-cursor.ts";
import type { StreamBudget, Slot } from "./stream-budget.ts";
import type { TokenBucket } from "./token-bucket.ts";

export interface FollowerEnv {
  cluster: Cluster;
  sink: EntrySink;
  limiter: TokenBucket;
  budget: StreamBudget;
  events: FollowEvents;
  /** A stream failed to open or broke (reported in digest by the follower set). */
  streamFailed(name: string, error: unknown): void;
  /** A log stream is open (+1) or ended (-1): what "streams active" counts, beyond the budget's slots. */
  streamOpen(delta: 1 | -1): void;
  floor: Instant;
  signal: AbortSignal;
}

/** How a stream went, when it did not end cleanly (then #read returns its count of new lines). */
type Outcome = "error" | "gone" | "status" | "moved" | "forbidden" | "aborted";

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 8_000;
const IDLE_MAX_MS = 5_000;
/** A follow stream that lasted this long was not ended "at once", however quiet the container. */
const IDLE_STREAM_MS = 5_000;
/** An instance started this recently may already have been replaced when its first stream is opened. */
const YOUNG_SEC = 10;
const KUBELET_ROTATION_PERIOD_MS = 10_000;

export class ContainerFollower {
  readonly name: string;
  readonly #namespace: string;
  readonly #pod: string;
  readonly #container: string;
  readonly #uid: string;
  readonly #labels: Labels;
  readonly #env: FollowerEnv;
  readonly #cursor: ResumeCursor;
  readonly #state: FollowState = { done: [] };
  #view: ContainerView;
  #gone = false;
  #wake: (() => void) | undefined;
  /** How the last stream of the instance being read ended. */
  #lastEnd: "clean" | "error" | null = null;
  #endedAt = 0;
  #failures = 0;
  #idle = 0;
  #openedAt = 0;
  #warnedForbidden = false;
  /** A restart gap waits for the first line after it, so it can say where the capture goes on. */
  #pendingGap: FollowGap | null = null;
  /** Entries of a stream not yet shown to be the planned instance's (see the file comment). */
  #held: Entry[] | null = null;

  constructor(pod: Pod, container: string, labels: Labels, env: FollowerEnv) {
    this.#namespace = pod.metadata.namespace;
    this.#pod = pod.metadata.name;
    this.#container = container;
    this.#uid = pod.metadata.uid;
    this.name = `${this.#namespace}/${this.#pod}/${container}`;
    this.#labels = labels;
    this.#env = env;
    this.#cursor = new ResumeCursor(env.floor);
    this.#view = viewOf(pod, container);
    firstLook(this.#view, this.#state, env.floor.sec);
  }

  /** The pod changed (its status, usually). */
  update(pod: Pod): void {
    this.#view = viewOf(pod, this.#container);
    this.#wake?.();
  }

  /**
   * The pod was deleted (or left a watch filtered by the server's selector): nothing more is opened; a stream still
   * open reads to its end (the containers are stopping, their last lines matter).
   */
  remove(): void {
    this.#gone = true;
    this.#wake?.();
  }

  async run(): Promise<void> {
    let slot: Slot | null = null;
    try {
      while (!this.#env.signal.aborted) {
        const plan = planInstance(this.#view, this.#state);
        if (plan.kind === "lost") {
          this.#gap("restarted", plan.id);
          finish(this.#state, plan.id);
          continue;
        }
        if (plan.kind === "wait" || this.#gone) {
          // Nothing to read: the slot goes to a container that has something.
          slot?.release();
          slot = null;
          if (this.#gone) {
            if (this.#state.reading !== undefined && this.#lastEnd === "error") this.#gap("deleted", this.#state.reading);
            return;
          }
          await this.#changed();
          continue;
        }
        slot ??= await this.#env.budget.acquire(this.name, this.#env.signal);
        const outcome = await this.#read(plan);
        if (!(await this.#after(plan, outcome))) return;
      }
    } catch (e) {
      if (!this.#env.signal.aborted) throw e;
    } finally {
      slot?.release();
      if (this.#pendingGap) this.#env.events.gap(this.#pendingGap);
      this.#pendingGap = null;
    }
  }

  /** What to do after a stream; false: stop following. */
  async #after(plan: Extract<Plan, { kind: "read" }>, outcome: Outcome | number): Promise<boolean> {
    if (outcome === "aborted") return false;
    if (outcome === "gone") {
      this.#gone = true;
      return true;
    }
    if (outcome === "error" || outcome === "forbidden") {
      this.#failures++;
      const ms = outcome === "forbidden" ? 30_000 : jitter(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.#failures - 1)));
      await this.#changed(ms, outcome === "error");
      return true;
    }
    if (outcome === "status") {
      // The status the plan was made on is already stale (a restart under way): wait for the new one.
      await this.#changed(1000);
      return true;
    }
    // Another instance was served: the view was just read afresh, plan again at once.
    if (outcome === "moved") return true;
    this.#failures = 0;
    // A follow stream that ended at once with nothing new (the server's view of the container runs behind the
    // status): back off until the status moves on, instead of asking again and again.
    const fresh = typeof outcome === "number" ? outcome : 0;
    if (plan.follow && fresh === 0 && performance.now() - this.#openedAt < IDLE_STREAM_MS) {
      this.#idle++;
      await this.#changed(Math.min(IDLE_MAX_MS, 50 * 2 ** this.#idle));
    } else this.#idle = 0;
    return true;
  }

  /** Returns how many new lines a stream that ended cleanly gave, or how it failed. */
  async #read(plan: Extract<Plan, { kind: "read" }>): Promise<Outcome | number> {
    const env = this.#env;
    if (this.#state.reading !== plan.id) {
      this.#state.reading = plan.id;
      this.#lastEnd = null;
    }
    if (this.#lastEnd !== null) env.events.reconnect();
    this.#cursor.beginStream(plan.resume);
    try {
      await env.limiter.take(env.signal);
    } catch {
      return "aborted";
    }
    const params = { container: this.#container, follow: plan.follow || undefined, timestamps: true, sinceTime: this.#cursor.sinceTime(), previous: plan.previous || undefined };
    let lines = 0;
    let rest = "";
    this.#openedAt = performance.now();
    let open = false;
    // Whose lines these are is settled by proof (a resume), by a fresh read of the pod, or needs no settling. A
    // resume is proved whatever it reads: the last read of a stopped instance, or of the previous one, is planned on a
    // status that may be stale (the watch was down with the stream), and the node may by then serve a later instance.
    let unsettled: "proof" | "first" | null = plan.resume ? "proof" : plan.follow && !plan.previous && this.#young() ? "first" : null;
    const mark = this.#cursor.mark();
    this.#held = unsettled ? [] : null;
    try {
      const stream = await env.cluster.podLog(this.#namespace, this.#pod, params, env.signal);
      env.streamOpen(1);
      open = true;
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        const text = rest + decoder.decode(chunk, { stream: true });
        let start = 0;
        for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
          lines += this.#line(text.slice(start, nl));
          start = nl + 1;
        }
        rest = text.slice(start);
        if (unsettled) {
          const settled = await this.#settle(unsettled, plan, lines);
          if (settled === "ok") unsettled = null;
          else if (settled !== "hold") {
            this.#cursor.rollback(mark);
            this.#held = null;
            return settled;
          }
        } else this.#checkContinuity(plan.id);
        if (env.sink.full) await this.#room();
        if (env.signal.aborted) return "aborted";
      }
      rest += decoder.decode();
    } catch (e) {
      if (env.signal.aborted) return "aborted";
      return this.#failed(e);
    } finally {
      if (open) env.streamOpen(-1);
      // Whatever is still held when the stream ends could not be told apart from the instance's own: nothing new.
      this.#release();
    }
    if (env.signal.aborted) return "aborted";
    this.#lastEnd = "clean";
    this.#endedAt = performance.now();
    if (!plan.follow) {
      // The instance's whole log was read: a last line without a newline is its last words. (A follow stream's
      // unfinished tail is read again by the next request instead: it may have been cut mid-record.)
      if (rest !== "") lines += this.#line(rest);
      this.#checkContinuity(plan.id);
      finish(this.#state, plan.id);
    }
    return lines;
  }

  #failed(e: unknown): Outcome {
    if (e instanceof KubeApiError && e.status === 404) return "gone";
    if (e instanceof KubeApiError && e.status === 400) return "status";
    this.#lastEnd = "error";
    if (e instanceof KubeApiError && (e.status === 403 || e.status === 401)) {
      if (!this.#warnedForbidden) this.#env.events.warning(`cannot read the logs of ${this.name}: ${e.message}`);
      this.#warnedForbidden = true;
      return "forbidden";
    }
    this.#env.streamFailed(this.name, e);
    return "error";
  }

  /**
   * Whether the held lines are the planned instance's: "hold" (not known yet), "ok" (released to the sink), or how
   * to go on without them.
   */
  async #settle(how: "proof" | "first", plan: Extract<Plan, { kind: "read" }>, lines: number): Promise<"hold" | "ok" | "moved" | "gone" | "error"> {
    const id = plan.id;
    let unproven: ReturnType<ResumeCursor["takeUnproven"]> = null;
    if (how === "proof") {
      unproven = this.#cursor.takeUnproven();
      if (!unproven) {
        if (this.#cursor.proving) return "hold";
        this.#release();
        return "ok";
      }
    } else if (lines === 0) return "hold";
    const fresh = await this.#stillServed(id, plan.previous);
    if (fresh !== "same") return fresh;
    if (unproven && this.#mayHaveMissed()) this.#env.events.gap({ ...this.#where(id), reason: "rotated", after: unproven.after, before: unproven.first });
    this.#release();
    return "ok";
  }

  /** A fresh read of the pod: is `id` still the instance `pods/log` serves (the newest, or with `previous` the one before)? */
  async #stillServed(id: string, previous: boolean): Promise<"same" | "moved" | "gone" | "error"> {
    const env = this.#env;
    let pod: Pod;
    try {
      await env.limiter.take(env.signal);
      pod = await env.cluster.request<Pod>({ path: `/api/v1/namespaces/${encodeURIComponent(this.#namespace)}/pods/${encodeURIComponent(this.#pod)}`, signal: env.signal });
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return "gone";
      if (!env.signal.aborted) env.streamFailed(this.name, e);
      return "error";
    }
    // A pod of the same name made again (a StatefulSet's) is another pod.
    if (pod.metadata.uid !== this.#uid) return "gone";
    this.#view = viewOf(pod, this.#container);
    const v = this.#view;
    if (previous) return v.previousId === id && v.currentId !== id ? "same" : "moved";
    return v.currentId === id || (v.currentId === undefined && v.previousId === id) ? "same" : "moved";
  }

  #young(): boolean {
    const started = this.#view.currentStarted;
    return started === undefined || Date.now() / 1000 - started < YOUNG_SEC;
  }

  /** Held entries (if any) go to the sink; from now on lines go there directly. */
  #release(): void {
    const held = this.#held;
    this.#held = null;
    for (const e of held ?? []) this.#emit(e);
  }

  #emit(entry: Entry): void {
    if (this.#held) {
      this.#held.push(entry);
      return;
    }
    if (this.#pendingGap) {
      this.#env.events.gap({ ...this.#pendingGap, before: { sec: entry.sec, nsec: entry.nsec } });
      this.#pendingGap = null;
    }
    this.#env.sink.push(entry);
  }

  /** One line of the stream → at most one entry (records already seen are skipped). */
  #line(line: string): number {
    const cursor = this.#cursor;
    const records = parseLogLine(line, cursor.last);
    let first: { sec: number; nsec: number } | undefined;
    let msg = "";
    for (const r of records) {
      if (cursor.admit(r.sec, r.nsec, r.text) === "seen") continue;
      first ??= r;
      msg += r.text;
    }
    if (first === undefined) return 0;
    this.#emit({ sec: first.sec, nsec: first.nsec, labels: this.#labels, msg });
    return 1;
  }

  #checkContinuity(id: string): void {
    const u = this.#cursor.takeUnproven();
    if (u && this.#mayHaveMissed()) this.#env.events.gap({ ...this.#where(id), reason: "rotated", after: u.after, before: u.first });
  }

  /** Whether lines may have been rotated away between the last stream's end and this one's start. */
  #mayHaveMissed(): boolean {
    return this.#lastEnd === "error" || (this.#lastEnd === "clean" && this.#openedAt - this.#endedAt > KUBELET_ROTATION_PERIOD_MS);
  }

  #gap(reason: "restarted" | "deleted", id: string): void {
    // Nothing taken from this container yet: there is no line after which something went missing.
    if (!this.#cursor.started) return;
    const gap: FollowGap = { ...this.#where(id), reason, after: this.#cursor.last };
    // After a restart gap the next instance's lines follow: reported with the first of them.
    if (reason === "restarted") this.#pendingGap = gap;
    else this.#env.events.gap(gap);
  }

  #where(id: string) {
    return { namespace: this.#namespace, pod: this.#pod, container: this.#container, containerId: id };
  }

  async #room(): Promise<void> {
    const signal = this.#env.signal;
    if (signal.aborted) return;
    await new Promise<void>((resolve) => {
      signal.addEventListener("abort", () => resolve(), { once: true });
      void this.#env.sink.room().then(resolve);
    });
  }

  /** Resolves on the next status change or removal, after `ms` if given (unless `untilTimeout`), or on abort. */
  #changed(ms?: number, untilTimeout = false): Promise<void> {
    const signal = this.#env.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
      this.#wake = untilTimeout
        ? () => {
            if (this.#gone) done();
          }
        : done;
    });
  }
}

function viewOf(pod: Pod, container: string): ContainerView {
  const s = pod.status;
  const all = [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? [])];
  return containerView(all.find((c) => c.name === container));
}

function jitter(ms: number): number {
  return ms * (0.8 + Math.random() * 0.4);
}
