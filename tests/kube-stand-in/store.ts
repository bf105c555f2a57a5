/**
 * The object store: the stand-in's etcd plus the generic registry's write rules (what k8s.io/apiserver's
 * genericregistry.Store and each resource's strategy do around storage). One resourceVersion counter for every
 * write; a write that changes nothing keeps the resourceVersion and sends no event; generation follows the real
 * strategies; objects with finalizers are only marked deleted; a bounded event history answers watches from a
 * resourceVersion, and a version older than it is 410 Expired.
 *
 * Every write goes through here, the controllers' too, so defaulting and validation apply to all writers as they
 * do on a real cluster.
 */

import type { DeleteOptions, KubeObject, ResourceType, StandInStore, WatchEvent, WriteOptions } from "./contract.ts";
import { applyDefaults, resetStatusOnCreate } from "./defaults.ts";
import { goJsonNormalize } from "./go-json.ts";
import { clone, jsonEqual, randomSuffix, rfc3339 } from "./json-util.ts";
import { ResourceTable } from "./resource-table.ts";
import { ApiStatusError, alreadyExists, badRequest, conflict, expired, namespaceNotFound, namespaceTerminating, notFound } from "./status-errors.ts";
import { checkDecodable, validate } from "./validation.ts";

export interface StoreOptions {
  table?: ResourceTable;
  /** Events kept for watches from a resourceVersion (a real watch cache keeps a window too). */
  historySize?: number;
  now?: () => Date;
}

export type { DeleteOptions, WriteOptions };
export type UpdateOptions = { subresource?: "status" } & WriteOptions;

/**
 * A watch listener. Besides the contract's event it gets the object as it was before a MODIFIED or DELETED event
 * (the watch cache's prevObject), so a filtered watch can turn "stopped matching" into DELETED and "started
 * matching" into ADDED as the real one does.
 */
export type Listener = (event: WatchEvent, previous?: KubeObject) => void;

interface Watcher {
  typeKey: string;
  namespace: string | undefined;
  listener: Listener;
  /** Events up to here were replayed already (a watch opened while earlier events are still being delivered). */
  deliveredThrough: number;
}

interface HistoryEntry {
  rv: number;
  typeKey: string;
  namespace: string;
  event: WatchEvent;
  previous?: KubeObject;
}

const typeKey = (t: Pick<ResourceType, "group" | "resource">) => `${t.group}/${t.resource}`;

export class MemoryStore implements StandInStore {
  readonly table: ResourceTable;
  /** See StandInStore.gracefulPodDeletion: off until a kubelet that finishes deletions is attached. */
  gracefulPodDeletion = false;

  private counter = 0;
  private objects = new Map<string, Map<string, KubeObject>>();
  private history: HistoryEntry[] = [];
  private historyStart = 0;
  /** Every event with rv <= compactedThrough is gone from the history. */
  private compactedThrough = 0;
  private readonly historySize: number;
  private readonly now: () => Date;
  private watchers = new Set<Watcher>();
  private changeListeners = new Set<(type: ResourceType, event: WatchEvent) => void>();
  private pending: { type: ResourceType; namespace: string; event: WatchEvent; previous?: KubeObject }[] = [];
  private dispatching = false;
  private nextIP = 10;
  private nextNodePort = 30000;

  constructor(opts: StoreOptions = {}) {
    this.table = opts.table ?? new ResourceTable();
    this.historySize = opts.historySize ?? 2000;
    this.now = opts.now ?? (() => new Date());
  }

  get resourceVersion(): string {
    return String(this.counter);
  }

  resourceType(group: string, resource: string): ResourceType | undefined {
    return this.table.get(group, resource);
  }

  /** The type for an apiVersion and kind ("apps/v1", "Deployment"), as ownerReferences name their owners. */
  typeOf(apiVersion: string, kind: string): ResourceType | undefined {
    return this.table.byKind(apiVersion, kind);
  }

  /** Like resourceType but throws: for code that names a type it knows is served. */
  mustType(group: string, resource: string): ResourceType {
    const t = this.table.get(group, resource);
    if (!t) throw new Error(`the stand-in serves no resource ${resource} in group "${group}"`);
    return t;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return clone(this.bucket(type).get(this.key(type, namespace, name)));
  }

  list(type: ResourceType, namespace: string | undefined): { items: KubeObject[]; resourceVersion: string } {
    const items: KubeObject[] = [];
    const keys = [...this.bucket(type).keys()].sort();
    for (const k of keys) {
      const o = this.bucket(type).get(k)!;
      if (type.namespaced && namespace !== undefined && o.metadata.namespace !== namespace) continue;
      items.push(clone(o));
    }
    return { items, resourceVersion: this.resourceVersion };
  }

  /** Every object of every type in a namespace (for the namespace controller). */
  contentsOf(namespace: string): { type: ResourceType; object: KubeObject }[] {
    const out: { type: ResourceType; object: KubeObject }[] = [];
    for (const type of this.table.types) {
      if (!type.namespaced || type.virtual) continue;
      for (const o of this.list(type, namespace).items) out.push({ type, object: o });
    }
    return out;
  }

  /** Every stored object that names `uid` in its ownerReferences. */
  dependentsOf(uid: string): { type: ResourceType; object: KubeObject }[] {
    const out: { type: ResourceType; object: KubeObject }[] = [];
    for (const type of this.table.types) {
      for (const o of this.bucket(type).values()) {
        if (o.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ type, object: clone(o) });
      }
    }
    return out;
  }

  /** Whether any stored object has this uid (owners are looked up by uid, as the garbage collector does). */
  findByUid(uid: string): { type: ResourceType; object: KubeObject } | undefined {
    for (const type of this.table.types) {
      for (const o of this.bucket(type).values()) if (o.metadata.uid === uid) return { type, object: clone(o) };
    }
    return undefined;
  }

  create(type: ResourceType, object: KubeObject, opts: WriteOptions = {}): KubeObject {
    checkDecodable(type, object);
    const obj = clone(object);
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    const meta = (obj.metadata ??= {});
    if (meta.resourceVersion) {
      // What etcd3's store answers; the handler reports it as a 500 with reason Unknown.
      throw new ApiStatusError(500, "Unknown", "resourceVersion should not be set on objects to be created");
    }
    if (type.namespaced) {
      if (!meta.namespace) throw badRequest("the namespace of the object must be set");
      const ns = this.bucket(this.mustType("", "namespaces")).get(this.key(this.mustType("", "namespaces"), undefined, meta.namespace));
      if (!ns) throw namespaceNotFound(meta.namespace);
      if (ns.metadata.deletionTimestamp) throw namespaceTerminating(type, meta.name ?? meta.generateName ?? "", meta.namespace);
    } else {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    meta.uid = crypto.randomUUID();
    meta.creationTimestamp = rfc3339(this.now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.managedFields;
    delete meta.selfLink;
    if (type.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (type.subresources.includes("status")) resetStatusOnCreate(type, obj);
    applyDefaults(type, obj, this.allocators(), true);
    goJsonNormalize(type.kind, obj);
    validate(type, obj);
    const key = this.key(type, meta.namespace, meta.name!);
    if (this.bucket(type).has(key)) throw alreadyExists(type, meta.name!);
    if (opts.dryRun) return obj;
    meta.resourceVersion = this.bump();
    this.bucket(type).set(key, obj);
    this.emit(type, { type: "ADDED", object: clone(obj) });
    return clone(obj);
  }

  update(type: ResourceType, object: KubeObject, opts: UpdateOptions = {}): KubeObject {
    checkDecodable(type, object);
    const meta = object.metadata ?? {};
    const namespace = type.namespaced ? meta.namespace : undefined;
    if (!meta.name) throw badRequest("name is required");
    const key = this.key(type, namespace, meta.name);
    const old = this.bucket(type).get(key);
    if (!old) throw notFound(type, meta.name);
    if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) throw conflict(type, meta.name);
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw conflict(type, meta.name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    let next: KubeObject;
    if (opts.subresource === "status") {
      next = this.statusWrite(type, old, object);
      goJsonNormalize(type.kind, next);
    } else {
      next = clone(object);
      next.apiVersion = apiVersionOf(type);
      next.kind = type.kind;
      const m = (next.metadata ??= {});
      for (const k of ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] as const) {
        if (old.metadata[k] === undefined) delete m[k];
        else m[k] = old.metadata[k] as never;
      }
      if (type.namespaced) m.namespace = old.metadata.namespace;
      else delete m.namespace;
      delete m.managedFields;
      delete m.selfLink;
      // A resource with a status subresource ignores status in a main-resource write.
      if (type.subresources.includes("status")) {
        if (old.status === undefined) delete next.status;
        else next.status = clone(old.status);
      }
      // Finalizers cannot be added to an object that is being deleted.
      if (old.metadata.deletionTimestamp) {
        const before = new Set(old.metadata.finalizers as string[] | undefined);
        if (((m.finalizers as string[] | undefined) ?? []).some((f) => !before.has(f))) {
          throw new ApiStatusError(422, "Invalid", `${type.kind} "${meta.name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted`);
        }
      }
      applyDefaults(type, next, this.allocators());
      goJsonNormalize(type.kind, next);
      validate(type, next, old);
      if (type.tracksGeneration && this.generationChanges(type, old, next)) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (jsonEqual(next, old)) return clone(old);
    if (opts.dryRun) return next;
    if (next.metadata.deletionTimestamp && !hasFinalizers(type, next) && hasFinalizers(type, old)) {
      // This write removed the last finalizer: the object is deleted now. A write to an object that had none (a
      // pod in its grace period, whose kubelet reports its containers stopping) keeps it (ShouldDeleteDuringUpdate).
      return this.remove(type, key, next);
    }
    next.metadata.resourceVersion = this.bump();
    this.bucket(type).set(key, next);
    this.emit(type, { type: "MODIFIED", object: clone(next) }, old);
    return clone(next);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const key = this.key(type, namespace, name);
    const old = this.bucket(type).get(key);
    if (!old) throw notFound(type, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== old.metadata.uid) {
      throw conflict(type, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(type, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
    }
    const next = clone(old);
    const finalizers = new Set((next.metadata.finalizers as string[] | undefined) ?? []);
    if (opts.propagationPolicy === "Foreground") finalizers.add("foregroundDeletion");
    if (opts.propagationPolicy === "Orphan") finalizers.add("orphan");
    const grace = this.podGrace(type, old, opts);
    if (grace !== undefined) next.metadata.deletionGracePeriodSeconds = grace;
    const marks = finalizers.size > 0 || (type.resource === "namespaces" && type.group === "") || grace !== undefined;
    if (!marks) {
      if (opts.dryRun) return next;
      return this.remove(type, key, next);
    }
    if (old.metadata.deletionTimestamp) {
      // Already being deleted: a second DELETE changes nothing (a shorter grace period aside, which we do not model).
      return clone(old);
    }
    next.metadata.deletionTimestamp = rfc3339(this.now());
    if (next.metadata.deletionGracePeriodSeconds === undefined) next.metadata.deletionGracePeriodSeconds = 0;
    if (finalizers.size) next.metadata.finalizers = [...finalizers];
    if (type.resource === "namespaces" && type.group === "") next.status = { ...(next.status ?? {}), phase: "Terminating" };
    if (opts.dryRun) return next;
    next.metadata.resourceVersion = this.bump();
    this.bucket(type).set(key, next);
    this.emit(type, { type: "MODIFIED", object: clone(next) }, old);
    return clone(next);
  }

  watch(type: ResourceType, namespace: string | undefined, sinceResourceVersion: string | undefined, listener: Listener): () => void {
    const tk = typeKey(type);
    const ns = type.namespaced ? namespace : undefined;
    const deliveredThrough = this.counter;
    if (sinceResourceVersion === undefined) {
      for (const o of this.list(type, ns).items) listener({ type: "ADDED", object: o });
    } else {
      const since = Number(sinceResourceVersion);
      if (!Number.isInteger(since) || since < 0) throw badRequest(`invalid resource version: ${sinceResourceVersion}`);
      if (since < this.compactedThrough) throw expired(`too old resource version: ${since} (${this.compactedThrough})`);
      for (let i = this.historyStart; i < this.history.length; i++) {
        const h = this.history[i];
        if (h.rv > since && h.typeKey === tk && (ns === undefined || h.namespace === ns)) listener(clone(h.event), clone(h.previous));
      }
    }
    const w: Watcher = { typeKey: tk, namespace: ns, listener, deliveredThrough };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  onChange(listener: (type: ResourceType, event: WatchEvent) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Drops the whole event history, as an etcd compaction does: any watch from an older resourceVersion gets 410. */
  compact(): void {
    this.compactedThrough = this.counter;
    this.history = [];
    this.historyStart = 0;
  }

  /** The oldest resourceVersion a watch may still start from. */
  get oldestWatchableResourceVersion(): string {
    return String(this.compactedThrough);
  }

  // ——— internals ———

  private bucket(type: ResourceType): Map<string, KubeObject> {
    const k = typeKey(type);
    let b = this.objects.get(k);
    if (!b) this.objects.set(k, (b = new Map()));
    return b;
  }

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return type.namespaced ? `${namespace ?? ""}/${name}` : name;
  }

  private bump(): string {
    this.counter++;
    return String(this.counter);
  }

  private allocators() {
    return {
      allocateClusterIP: () => {
        const n = this.nextIP++;
        return `10.96.${Math.floor(n / 254)}.${(n % 254) + 1}`;
      },
      allocateNodePort: () => this.nextNodePort++,
    };
  }

  /**
   * A write through /status, as each resource's StatusStrategy.PrepareForUpdate treats it: the spec stays as stored
   * (and the labels for Deployments and StatefulSets, the ownerReferences for Pods); status and the rest of the
   * metadata come from the body — the Deployment controller writes its revision annotation this way.
   */
  private statusWrite(type: ResourceType, old: KubeObject, body: KubeObject): KubeObject {
    const next = clone(body);
    next.apiVersion = apiVersionOf(type);
    next.kind = type.kind;
    const m = (next.metadata ??= {});
    for (const k of ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "name"] as const) {
      if (old.metadata[k] === undefined) delete m[k];
      else m[k] = old.metadata[k] as never;
    }
    if (type.namespaced) m.namespace = old.metadata.namespace;
    delete m.managedFields;
    if (old.spec === undefined) delete next.spec;
    else next.spec = clone(old.spec);
    const gr = `${type.group}/${type.resource}`;
    if (gr === "apps/deployments" || gr === "apps/statefulsets") {
      if (old.metadata.labels === undefined) delete m.labels;
      else m.labels = clone(old.metadata.labels);
    }
    if (gr === "/pods") {
      if (old.metadata.ownerReferences === undefined) delete m.ownerReferences;
      else m.ownerReferences = clone(old.metadata.ownerReferences);
    }
    for (const k of Object.keys(old)) if (!(k in next) && k !== "status") (next as any)[k] = clone((old as any)[k]);
    if (next.status === undefined) delete next.status;
    return next;
  }

  /** The real strategies: spec changes bump generation; for Deployments annotation changes too (they are copied to ReplicaSets). */
  private generationChanges(type: ResourceType, old: KubeObject, next: KubeObject): boolean {
    if (!jsonEqual(old.spec, next.spec)) return true;
    return type.group === "apps" && type.resource === "deployments" && !jsonEqual(old.metadata.annotations ?? {}, next.metadata.annotations ?? {});
  }

  private podGrace(type: ResourceType, pod: KubeObject, opts: DeleteOptions): number | undefined {
    if (!(type.group === "" && type.resource === "pods") || !this.gracefulPodDeletion) return undefined;
    if (!pod.spec?.nodeName) return undefined;
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") return undefined;
    const grace = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    return grace > 0 ? grace : undefined;
  }

  private remove(type: ResourceType, key: string, last: KubeObject): KubeObject {
    const previous = this.bucket(type).get(key);
    this.bucket(type).delete(key);
    last.metadata.resourceVersion = this.bump();
    this.emit(type, { type: "DELETED", object: clone(last) }, previous);
    return clone(last);
  }

  /**
   * Events go out in write order to every watcher and change listener, also when a listener writes (a controller
   * reacting): those writes are queued behind the event being delivered instead of overtaking it.
   */
  private emit(type: ResourceType, event: WatchEvent, previous?: KubeObject): void {
    const namespace = event.object.metadata.namespace ?? "";
    this.history.push({ rv: Number(event.object.metadata.resourceVersion), typeKey: typeKey(type), namespace, event: clone(event), previous: clone(previous) });
    if (this.history.length - this.historyStart > this.historySize) {
      this.compactedThrough = this.history[this.historyStart].rv;
      this.historyStart++;
      if (this.historyStart > 4096) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    this.pending.push({ type, namespace, event, previous });
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.pending.length) {
        const p = this.pending.shift()!;
        const tk = typeKey(p.type);
        const rv = Number(p.event.object.metadata.resourceVersion);
        for (const w of [...this.watchers]) {
          if (w.typeKey !== tk || (w.namespace !== undefined && w.namespace !== p.namespace)) continue;
          if (rv <= w.deliveredThrough) continue;
          try {
            w.listener(clone(p.event), clone(p.previous));
          } catch (e) {
            console.error("stand-in: a watch listener threw", e);
          }
        }
        for (const l of [...this.changeListeners]) {
          try {
            l(p.type, clone(p.event));
          } catch (e) {
            console.error("stand-in: a change listener threw", e);
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }
}

export function apiVersionOf(type: Pick<ResourceType, "group" | "version">): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

function hasFinalizers(type: ResourceType, o: KubeObject): boolean {
  if (((o.metadata.finalizers as string[] | undefined) ?? []).length > 0) return true;
  return type.group === "" && type.resource === "namespaces" && ((o.spec?.finalizers as string[] | undefined) ?? []).length > 0;
}
