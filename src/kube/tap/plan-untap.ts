/**
 * planUntap: the pod template with one session (or all) taken out. Sessions in the tap record are undone exactly
 * from the record; sessions upstream logtap tapped in (listed in `logtap.dev/tapped`, absent from the record) are
 * removed by upstream's rules (upstream-untap.ts). What someone changed since tap is kept and reported as a
 * conflict; only what tap added is taken out.
 */

import { releaseAnnotations } from "./annotation-layers.ts";
import { listItems, removeItem } from "./comma-list.ts";
import { RECORD_ANNOTATION, TAPPED_ANNOTATION } from "./names.ts";
import { restorePolicies } from "./pull-policy.ts";
import { readRecord } from "./read-record.ts";
import { buildSidecar } from "./sidecar-container.ts";
import { subsetMismatch } from "./subset-match.ts";
import { serializeRecord, type SessionRecord, type TapRecord } from "./tap-record.ts";
import { describeTemplateChange, type TemplateChange } from "./template-change.ts";
import { removeUpstreamSession, type AnnotationView } from "./upstream-untap.ts";
import { allContainers, checkWorkload, cloneJson, TapError, workloadRef, type PodSpec, type PodTemplate, type Workload } from "./workload.ts";

export interface UntapPlan {
  workload: Workload;
  before: PodTemplate;
  after: PodTemplate;
  /** In the order they were taken out; `record` = undone from the tap record, `upstream` = by upstream's rules. */
  removed: { session: string; by: "record" | "upstream" }[];
  /** Fluent Bit ConfigMaps to delete after the update (not found is fine). */
  configMapsToDelete: string[];
  change: TemplateChange;
  /** Changes made by someone else since tap, and what untap did about each. */
  conflicts: string[];
  notes: string[];
}

/** The sessions tapped into a template: ours (in the record) and upstream's (only in `logtap.dev/tapped`). */
export function tappedSessions(t: PodTemplate): { record: string[]; upstream: string[]; recordError: string | null } {
  const read = readRecord(t);
  const record = read.record?.sessions.map((s) => s.session) ?? [];
  const upstream = listItems(t.metadata?.annotations?.[TAPPED_ANNOTATION]).filter((s) => !record.includes(s));
  return { record, upstream, recordError: read.error };
}

function removeRecordedContainer(spec: PodSpec, s: SessionRecord, conflicts: string[], notes: string[]): void {
  const found = allContainers(spec).find(({ container }) => container.name === s.container);
  if (found === undefined) {
    conflicts.push(`container ${s.container} was already removed`);
    return;
  }
  // Rebuilt from the record: what tap added, to tell whether anyone has edited it since.
  const changed = subsetMismatch(buildSidecar(s).container, found.container);
  if (changed !== null) conflicts.push(`container ${s.container} was changed since tap (${changed}): removed it anyway`);
  if (found.list !== s.list) notes.push(`container ${s.container} was found in ${found.list}, tap had put it in ${s.list}`);
  const list = spec[found.list]!;
  list.splice(list.indexOf(found.container), 1);
}

function removeRecordedVolumes(spec: PodSpec, s: SessionRecord, conflicts: string[]): void {
  for (const name of s.volumes) {
    const i = (spec.volumes ?? []).findIndex((v) => v.name === name);
    if (i < 0) conflicts.push(`volume ${name} was already removed`);
    else if (allContainers(spec).some(({ container }) => (container.volumeMounts ?? []).some((m) => m.name === name))) {
      conflicts.push(`volume ${name} is now mounted by another container: kept it`);
    } else spec.volumes!.splice(i, 1);
  }
}

/** Drops the lists tap created once they are empty again (and forgets them once no session is left). */
function dropCreatedLists(record: TapRecord, spec: PodSpec): void {
  for (const [path, key] of [["spec.initContainers", "initContainers"], ["spec.volumes", "volumes"]] as const) {
    if (!record.created.includes(path)) continue;
    const list = spec[key];
    if (list !== undefined && list.length === 0) delete spec[key];
    if (list === undefined || list.length === 0 || record.sessions.length === 0) record.created = record.created.filter((c) => c !== path);
  }
}

/** A view of the annotations as they were below our sessions: the record's originals where it has them. */
function originalsView(record: TapRecord | null, ann: Record<string, string>): AnnotationView {
  const live: AnnotationView = {
    get: (key) => (Object.hasOwn(ann, key) ? ann[key]! : null),
    set: (key, value) => {
      if (value === null) delete ann[key];
      else ann[key] = value;
    },
  };
  if (record === null) return live;
  return {
    get: (key) => {
      const e = record.annotations[key];
      return e === undefined ? live.get(key) : e.before;
    },
    set: (key, value) => {
      const e = record.annotations[key];
      if (e === undefined) return live.set(key, value);
      if (e.added !== undefined) {
        // Items leaving the originals leave the live list too — unless a session of ours needs them, which then owns them.
        for (const item of listItems(e.before)) {
          if (listItems(value).includes(item)) continue;
          if (record.sessions.some((s) => s.items[key] === item)) e.added.push(item);
          else {
            const current = live.get(key);
            const rest = current === null ? null : removeItem(current, item);
            if (rest !== null) live.set(key, rest);
          }
        }
      }
      // A scalar's live value belongs to a session of ours; only the original it returns to changes.
      e.before = value;
    },
  };
}

/**
 * The plan for taking `session` (a session id, or "all") out of the workload. Throws TapError with §22.5's
 * messages when the workload is not tapped or does not list the session.
 */
export function planUntap(input: Workload, session: string): UntapPlan {
  checkWorkload(input);
  const ref = workloadRef(input);
  const workload = cloneJson(input);
  const t = workload.spec.template;
  const before = cloneJson(input.spec.template);
  const conflicts: string[] = [];
  const notes: string[] = [];
  const configMapsToDelete: string[] = [];
  const removed: UntapPlan["removed"] = [];

  const read = readRecord(t);
  if (read.error !== null) conflicts.push(`${read.error}: untapping by upstream's rules`);
  const record = read.record;
  const tappedText = t.metadata?.annotations?.[TAPPED_ANNOTATION];
  const { record: ours, upstream } = tappedSessions(t);
  if (ours.length === 0 && upstream.length === 0) throw new TapError(`workload ${ref} is not tapped`);

  let targets: { session: string; by: "record" | "upstream" }[];
  if (session === "all") {
    targets = [...[...ours].reverse().map((s) => ({ session: s, by: "record" as const })), ...upstream.map((s) => ({ session: s, by: "upstream" as const }))];
  } else if (ours.includes(session)) targets = [{ session, by: "record" }];
  else if (upstream.includes(session)) targets = [{ session, by: "upstream" }];
  else throw new TapError(`session ${session} not found in ${ref} (tapped: ${tappedText ?? ""})`);

  const ann = t.metadata!.annotations!;
  for (const target of targets) {
    removed.push(target);
    if (target.by === "upstream") {
      const r = removeUpstreamSession(t.spec, originalsView(record, ann), target.session);
      conflicts.push(...r.conflicts);
      notes.push(...r.notes);
      configMapsToDelete.push(...r.configMaps);
      continue;
    }
    const rec = record!;
    const s = rec.sessions.find((x) => x.session === target.session)!;
    const remaining = rec.sessions.filter((x) => x !== s);
    removeRecordedContainer(t.spec, s, conflicts, notes);
    removeRecordedVolumes(t.spec, s, conflicts);
    if (s.configMap !== null) configMapsToDelete.push(s.configMap);
    conflicts.push(...releaseAnnotations(rec, ann, s, remaining));
    if (s.pinImages && !remaining.some((x) => x.pinImages)) conflicts.push(...restorePolicies(rec, t.spec));
    rec.sessions = remaining;
    dropCreatedLists(rec, t.spec);
  }

  finishRecord(t, record, read.error !== null, removed.some((r) => r.by === "upstream"));
  return { workload, before, after: t, removed, configMapsToDelete, change: describeTemplateChange(before, t), conflicts, notes };
}

/** Writes the record back, or removes it (and what tap created for it) once no session of ours is left. */
function finishRecord(t: PodTemplate, record: TapRecord | null, unreadable: boolean, upstreamRemoved: boolean): void {
  const meta = t.metadata!;
  const ann = meta.annotations!;
  if (record !== null && record.sessions.length > 0) {
    ann[RECORD_ANNOTATION] = serializeRecord(record);
    return;
  }
  // An unreadable record goes with the last session it could have described.
  if (record !== null || (unreadable && listItems(ann[TAPPED_ANNOTATION]).length === 0)) delete ann[RECORD_ANNOTATION];
  const created = record?.created ?? [];
  // An annotations map tap created goes when empty again; so does one emptied by upstream's rules (the API server
  // omits an empty map, so the template it came from had none).
  if (Object.keys(ann).length === 0 && (created.includes("metadata.annotations") || upstreamRemoved)) delete meta.annotations;
  if (created.includes("metadata") && Object.keys(meta).length === 0) delete t.metadata;
}
