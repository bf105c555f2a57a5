/**
 * Fault injection: the failures a client of a real cluster meets and a test cannot otherwise make happen on cue.
 * - conflicts: before each of the next N writes to an object, "another writer" changes it for real (an annotation,
 *   so a new resourceVersion and a watch event): a write that carries the old resourceVersion as a precondition
 *   then gets the real 409, one without it goes through, as in a real race;
 * - forced errors: the next N requests matching verb/resource/namespace/name are answered with a given status;
 * - dropped watches: open watch streams ended (cleanly, or by resetting the connection) now, or after N events;
 * - a slow API server (every response delayed) and an unreachable one (connections refused, or accepted and never
 *   answered), for a while or until restored.
 * RBAC changes mid-test go through the Authorizer (standIn.rbac), not here.
 */

import type { KubeObject, StandInStore } from "./contract.ts";
import type { RequestInfo } from "./request-info.ts";
import { statusForCode, type ApiStatusError } from "./status-errors.ts";

export interface ObjectRef {
  /** "" for the core group (the default). */
  group?: string;
  resource: string;
  namespace?: string;
  name: string;
}

export interface FailRule {
  /** get, list, watch, create, update, patch, delete, deletecollection; any when absent. */
  verb?: string;
  group?: string;
  resource?: string;
  /** "" for the main resource only; any when absent. */
  subresource?: string;
  namespace?: string;
  name?: string;
  code: number;
  message?: string;
  /** How many matching requests fail (1 by default; Infinity until cleared). */
  count?: number;
}

export interface WatchFilter {
  group?: string;
  resource?: string;
  namespace?: string;
}

export type DropMode = "end" | "reset";
export type UnreachableMode = "refuse" | "hang";

/** What the server registers for each open watch so faults can end it. */
export interface OpenWatch {
  group: string;
  resource: string;
  namespace: string | undefined;
  /** Events sent so far. */
  events: number;
  drop(mode: DropMode): void;
}

interface PendingDrop extends WatchFilter {
  afterEvents: number;
  mode: DropMode;
  remaining: number;
}

export const OTHER_WRITER_ANNOTATION = "stand-in.logtap.dev/other-writer";

export class Faults {
  /** Every response (but the control API's) waits this long first. */
  delayMs = 0;
  private conflicts = new Map<string, number>();
  private failures: (FailRule & { remaining: number })[] = [];
  private openWatches = new Set<OpenWatch>();
  private pendingDrops: PendingDrop[] = [];
  private otherWrites = 0;
  private unreachableTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly store: StandInStore,
    /** The server's switch for refusing or hanging connections; false restores service. */
    private readonly reachability: (mode: UnreachableMode | false) => Promise<void>,
  ) {}

  /** The next `count` writes (update, patch, delete, incl. subresources) to the object meet a write by someone else first. */
  conflictNextWrites(ref: ObjectRef, count = 1): void {
    const k = refKey(ref.group ?? "", ref.resource, ref.namespace, ref.name);
    this.conflicts.set(k, (this.conflicts.get(k) ?? 0) + count);
  }

  /** The next `rule.count` (default 1) requests matching the rule get `rule.code` with the API server's reason for it. */
  failNext(rule: FailRule): void {
    this.failures.push({ ...rule, remaining: rule.count ?? 1 });
  }

  /** Ends the matching open watches now; returns how many. */
  dropWatches(filter: WatchFilter = {}, mode: DropMode = "end"): number {
    let n = 0;
    for (const w of [...this.openWatches]) {
      if (!watchMatches(w, filter)) continue;
      this.openWatches.delete(w);
      w.drop(mode);
      n++;
    }
    return n;
  }

  /** The next `count` watches opened that match are ended after they sent `afterEvents` events. */
  dropNextWatches(o: WatchFilter & { afterEvents?: number; count?: number; mode?: DropMode } = {}): void {
    this.pendingDrops.push({ group: o.group, resource: o.resource, namespace: o.namespace, afterEvents: o.afterEvents ?? 0, mode: o.mode ?? "end", remaining: o.count ?? 1 });
  }

  /** Refuse connections (or accept and never answer) for `forMs`, or until `setReachable()`. */
  async setUnreachable(mode: UnreachableMode = "refuse", forMs?: number): Promise<void> {
    clearTimeout(this.unreachableTimer);
    await this.reachability(mode);
    if (forMs !== undefined) this.unreachableTimer = setTimeout(() => void this.reachability(false), forMs);
  }

  async setReachable(): Promise<void> {
    clearTimeout(this.unreachableTimer);
    await this.reachability(false);
  }

  /** Forgets every pending fault and restores delay and reachability. Open watches stay open. */
  async clear(): Promise<void> {
    this.delayMs = 0;
    this.conflicts.clear();
    this.failures = [];
    this.pendingDrops = [];
    await this.setReachable();
  }

  describe(): Record<string, unknown> {
    return {
      delayMs: this.delayMs,
      conflicts: Object.fromEntries(this.conflicts),
      failures: this.failures.map(({ remaining, ...r }) => ({ ...r, remaining })),
      openWatches: [...this.openWatches].map((w) => ({ group: w.group, resource: w.resource, namespace: w.namespace, events: w.events })),
      pendingWatchDrops: this.pendingDrops,
    };
  }

  // ——— called by the server ———

  /** The injected error for this request, if a rule matches (consuming one use). */
  takeFailure(info: RequestInfo): ApiStatusError | undefined {
    for (const f of this.failures) {
      if (f.remaining <= 0) continue;
      if (f.verb !== undefined && f.verb !== info.verb) continue;
      if (f.group !== undefined && f.group !== info.apiGroup) continue;
      if (f.resource !== undefined && f.resource !== info.resource) continue;
      if (f.subresource !== undefined && f.subresource !== info.subresource) continue;
      if (f.namespace !== undefined && f.namespace !== info.namespace) continue;
      if (f.name !== undefined && f.name !== info.name) continue;
      f.remaining--;
      this.failures = this.failures.filter((x) => x.remaining > 0);
      return statusForCode(f.code, f.message);
    }
    return undefined;
  }

  /** Before a write: if a conflict is pending for the object, another writer changes it now. */
  beforeWrite(group: string, resource: string, namespace: string | undefined, name: string): void {
    const k = refKey(group, resource, namespace, name);
    const n = this.conflicts.get(k);
    if (!n) return;
    if (n <= 1) this.conflicts.delete(k);
    else this.conflicts.set(k, n - 1);
    const type = this.store.resourceType(group, resource);
    if (!type) return;
    const current = this.store.get(type, namespace, name);
    if (!current) return;
    const changed: KubeObject = structuredClone(current);
    changed.metadata.annotations = { ...(changed.metadata.annotations ?? {}), [OTHER_WRITER_ANNOTATION]: String(++this.otherWrites) };
    this.store.update(type, changed);
  }

  /** Registers an open watch; returns its unregister. Applies a pending "drop the next watch" to it. */
  watchOpened(w: OpenWatch): { unregister: () => void; afterEvent: () => void } {
    this.openWatches.add(w);
    const drop = this.pendingDrops.find((d) => d.remaining > 0 && watchMatches(w, d));
    if (drop) {
      drop.remaining--;
      this.pendingDrops = this.pendingDrops.filter((d) => d.remaining > 0);
    }
    const check = () => {
      if (drop && w.events >= drop.afterEvents && this.openWatches.has(w)) {
        this.openWatches.delete(w);
        w.drop(drop.mode);
      }
    };
    queueMicrotask(check);
    return { unregister: () => this.openWatches.delete(w), afterEvent: check };
  }
}

function refKey(group: string, resource: string, namespace: string | undefined, name: string): string {
  return `${group}/${resource}/${namespace ?? ""}/${name}`;
}

function watchMatches(w: OpenWatch, f: WatchFilter): boolean {
  return (f.group === undefined || f.group === w.group) && (f.resource === undefined || f.resource === w.resource) && (f.namespace === undefined || f.namespace === w.namespace);
}
