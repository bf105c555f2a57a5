/**
 * The tap record: one pod-template annotation, `logtap.dev/tap-record`, in which tap writes down everything it
 * changed, the way Istio's injector writes `sidecar.istio.io/status`. untap reads it and undoes exactly that, so
 * a template tapped and untapped is the template it was — byte for byte, hence the same pod-template hash.
 *
 * The value is compact JSON (docs/kubernetes.md shows an example):
 *   v            format version (1); a record with a higher one is refused rather than half understood.
 *   sessions     one entry per session still tapped in, in tap order: the sidecar's spec (enough to rebuild the
 *                container and see whether someone edited it), the container's name and the list it went into,
 *                the volumes and ConfigMap it added, whether it pinned image-pull policies, and what it wants in
 *                the annotations — `set`: values it wrote (the target, the forwarder kind), `items`: the item it
 *                needs in a comma list (its id in `logtap.dev/tapped`, its port in a mesh bypass list).
 *   annotations  for every annotation key tap manages: `before`, its value before tap first touched it (null =
 *                absent), and for comma lists `added`, the items tap appended (items already present belong to
 *                the user and are never removed).
 *   pulls        container name → its imagePullPolicy before `--pin-images` changed it.
 *   created      what tap had to create and removes once empty again: `metadata`, `metadata.annotations`,
 *                `spec.initContainers`, `spec.volumes`.
 *
 * Shared state (annotations, pulls, created) lives at the record's level rather than per session, so sessions
 * can be untapped in any order: each annotation's value is recomputed from the sessions that remain, and the
 * original comes back when none does.
 */

import { isSessionId } from "./session-id.ts";
import type { SidecarSpec } from "./sidecar-spec.ts";

export const RECORD_VERSION = 1;

export interface SessionRecord extends SidecarSpec {
  /** The container tap added (`logtap-forwarder-<session>`) and the list it went into. */
  container: string;
  list: "containers" | "initContainers";
  volumes: string[];
  configMap: string | null;
  pinImages: boolean;
  set: Record<string, string>;
  items: Record<string, string>;
}

export interface AnnotationEntry {
  before: string | null;
  /** Present exactly for comma-list keys. */
  added?: string[];
}

export type CreatedPath = "metadata" | "metadata.annotations" | "spec.initContainers" | "spec.volumes";
export const CREATED_PATHS: readonly CreatedPath[] = ["metadata", "metadata.annotations", "spec.initContainers", "spec.volumes"];

export interface TapRecord {
  v: number;
  sessions: SessionRecord[];
  annotations: Record<string, AnnotationEntry>;
  pulls: Record<string, string>;
  created: CreatedPath[];
}

export function emptyRecord(): TapRecord {
  return { v: RECORD_VERSION, sessions: [], annotations: {}, pulls: {}, created: [] };
}

export function serializeRecord(r: TapRecord): string {
  return JSON.stringify(r);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStrMap = (v: unknown): v is Record<string, string> => isObj(v) && Object.values(v).every((x) => typeof x === "string");
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function checkSession(s: unknown, i: number): SessionRecord {
  const where = `sessions[${i}]`;
  if (!isObj(s)) throw new Error(`${where} is not an object`);
  for (const k of ["session", "target", "image", "memory", "cpu", "container"] as const) {
    if (typeof s[k] !== "string") throw new Error(`${where}.${k} is not a string`);
  }
  if (!isSessionId(s.session as string)) throw new Error(`${where}.session is not a session id`);
  if (s.forwarder !== "logtap" && s.forwarder !== "fluent-bit") throw new Error(`${where}.forwarder is unknown`);
  if (s.mode !== "native" && s.mode !== "container") throw new Error(`${where}.mode is unknown`);
  if (s.list !== "containers" && s.list !== "initContainers") throw new Error(`${where}.list is unknown`);
  if (!isStrList(s.volumes)) throw new Error(`${where}.volumes is not a list of names`);
  if (s.configMap !== null && typeof s.configMap !== "string") throw new Error(`${where}.configMap is not a name`);
  if (typeof s.pinImages !== "boolean") throw new Error(`${where}.pinImages is not a boolean`);
  if (!isStrMap(s.set) || !isStrMap(s.items)) throw new Error(`${where}.set/items are not string maps`);
  return s as unknown as SessionRecord;
}

/** The record in `text`; throws an Error naming what is wrong (the commands wrap it with the workload's name). */
export function parseRecord(text: string): TapRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON (${(e as Error).message})`);
  }
  if (!isObj(raw)) throw new Error("not a JSON object");
  if (raw.v !== RECORD_VERSION) throw new Error(`format version ${JSON.stringify(raw.v)} is not ${RECORD_VERSION} (written by another logtap version)`);
  if (!Array.isArray(raw.sessions)) throw new Error("sessions is not a list");
  const sessions = raw.sessions.map(checkSession);
  if (!isObj(raw.annotations)) throw new Error("annotations is not an object");
  for (const [k, e] of Object.entries(raw.annotations)) {
    if (!isObj(e) || !(e.before === null || typeof e.before === "string") || !(e.added === undefined || isStrList(e.added))) {
      throw new Error(`annotations[${JSON.stringify(k)}] is not {before, added?}`);
    }
  }
  if (!isStrMap(raw.pulls)) throw new Error("pulls is not a string map");
  if (!isStrList(raw.created) || !raw.created.every((c) => (CREATED_PATHS as readonly string[]).includes(c))) {
    throw new Error("created is not a list of known paths");
  }
  return { v: RECORD_VERSION, sessions, annotations: raw.annotations as TapRecord["annotations"], pulls: raw.pulls, created: raw.created as CreatedPath[] };
}
