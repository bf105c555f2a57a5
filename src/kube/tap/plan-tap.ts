/**
 * planTap: the pod template one tap session produces, as a pure function of the workload read from the cluster.
 * It adds the sidecar (sidecar-container.ts), sets the §22.2 annotations, optionally pins image-pull policies, and
 * writes down all of it in the tap record (tap-record.ts) so planUntap can take exactly that out again.
 */

import { addListItem, setScalar } from "./annotation-layers.ts";
import { hasItem } from "./comma-list.ts";
import { fluentBitConfigMap } from "./fluent-bit.ts";
import {
  DEFAULT_FORWARDER_IMAGE,
  DEFAULT_SIDECAR_CPU,
  DEFAULT_SIDECAR_MEMORY,
  imageHasSleep,
  PRESTOP_SLEEP_SECONDS,
} from "./forwarder-defaults.ts";
import { meshBypassKeys, type NamespaceMeta } from "./mesh.ts";
import { FORWARDER_ANNOTATION, RECORD_ANNOTATION, sidecarName, TAPPED_ANNOTATION, TARGET_ANNOTATION } from "./names.ts";
import { pinPolicies } from "./pull-policy.ts";
import { doubleQuantity, quantityProblem, upstreamDoubleQuantity } from "./quantity.ts";
import { readRecord } from "./read-record.ts";
import { isSessionId } from "./session-id.ts";
import { buildSidecar } from "./sidecar-container.ts";
import type { SidecarMode } from "./sidecar-mode.ts";
import type { ForwarderKind, SidecarSpec } from "./sidecar-spec.ts";
import { emptyRecord, serializeRecord, type SessionRecord } from "./tap-record.ts";
import { parseTarget } from "./target.ts";
import { describeTemplateChange, type TemplateChange } from "./template-change.ts";
import { allContainers, checkWorkload, cloneJson, TapError, workloadRef, type PodTemplate, type Workload } from "./workload.ts";

export interface TapOptions {
  /** One id for the whole run (session-id.ts). */
  session: string;
  /** `--target`, validated with targetProblem before any cluster call. */
  target: string;
  /** `--sidecar-mode` after `auto` was resolved (resolveSidecarMode). */
  mode: SidecarMode;
  forwarder?: ForwarderKind;
  /** `--image`; required for Fluent Bit. */
  image?: string;
  /** `--sidecar-memory` / `--sidecar-cpu`: the requests (limits are twice them). */
  memory?: string;
  cpu?: string;
  pinImages?: boolean;
  /** The namespace's labels and annotations, when read: a namespace-wide mesh injection then counts too. */
  namespaceMeta?: NamespaceMeta;
}

export interface TapPlan {
  /** The workload to write back: a copy of the input with the new pod template. */
  workload: Workload;
  before: PodTemplate;
  after: PodTemplate;
  session: string;
  sidecar: { name: string; list: "containers" | "initContainers" };
  /** The Fluent Bit variant's ConfigMap, to create before the update; null for the logtap forwarder. */
  configMap: ReturnType<typeof fluentBitConfigMap> | null;
  change: TemplateChange;
  /** Things the user should know about this change (limits differing from upstream's, mesh, grace period). */
  notes: string[];
}

/** Fills the defaults and checks the options again (the commands already did, before any cluster call). */
function sidecarSpec(opts: TapOptions): SidecarSpec {
  if (!isSessionId(opts.session)) throw new TapError(`invalid session id ${JSON.stringify(opts.session)}`);
  const target = parseTarget(opts.target);
  if (typeof target === "string") throw new TapError(target);
  const memory = opts.memory ?? DEFAULT_SIDECAR_MEMORY;
  const cpu = opts.cpu ?? DEFAULT_SIDECAR_CPU;
  const problem = quantityProblem("--sidecar-memory", memory) ?? quantityProblem("--sidecar-cpu", cpu);
  if (problem !== null) throw new TapError(problem);
  const forwarder = opts.forwarder ?? "logtap";
  const image = opts.image ?? DEFAULT_FORWARDER_IMAGE;
  if (forwarder === "fluent-bit" && image === DEFAULT_FORWARDER_IMAGE) {
    throw new TapError("--image is required when using --forwarder fluent-bit (no default Fluent Bit image)");
  }
  return { session: opts.session, target: opts.target, forwarder, image, memory, cpu, mode: opts.mode };
}

function limitNotes(spec: SidecarSpec): string[] {
  const notes: string[] = [];
  for (const [what, q] of [["memory", spec.memory], ["cpu", spec.cpu]] as const) {
    const ours = doubleQuantity(q);
    const theirs = upstreamDoubleQuantity(q);
    if (ours !== theirs) notes.push(`sidecar ${what} limit is ${ours} (2 × ${q}); upstream logtap would have set ${theirs}`);
  }
  return notes;
}

export function planTap(input: Workload, opts: TapOptions): TapPlan {
  checkWorkload(input);
  const spec = sidecarSpec(opts);
  const ref = workloadRef(input);
  const workload = cloneJson(input);
  const t = workload.spec.template;
  const before = cloneJson(input.spec.template);
  const name = sidecarName(spec.session);

  const read = readRecord(t);
  // An unreadable record cannot be extended exactly; untap (which falls back to upstream's rules) clears it.
  if (read.error !== null) throw new TapError(`workload ${ref}: ${read.error} (untap it first)`);
  const record = read.record ?? emptyRecord();
  if (hasItem(t.metadata?.annotations?.[TAPPED_ANNOTATION], spec.session) || record.sessions.some((s) => s.session === spec.session)) {
    throw new TapError(`workload ${ref} already tapped with session ${spec.session}`);
  }
  if (allContainers(t.spec).some(({ container }) => container.name === name)) {
    throw new TapError(`workload ${ref} already has a container named ${name}`);
  }
  if (t.metadata === undefined) {
    t.metadata = {};
    record.created.push("metadata");
  }
  if (t.metadata.annotations === undefined) {
    t.metadata.annotations = {};
    record.created.push("metadata.annotations");
  }
  const ann = t.metadata.annotations;

  const target = parseTarget(spec.target) as Exclude<ReturnType<typeof parseTarget>, string>;
  const { container, volumes } = buildSidecar(spec);
  const list = spec.mode === "native" ? "initContainers" : "containers";
  const session: SessionRecord = {
    ...spec,
    container: name,
    list,
    volumes: volumes.map((v) => v.name),
    configMap: spec.forwarder === "fluent-bit" ? (volumes[0]!.configMap as { name: string }).name : null,
    pinImages: opts.pinImages === true,
    set: {},
    items: {},
  };
  const notes = limitNotes(spec);

  addListItem(record, ann, session, TAPPED_ANNOTATION, spec.session);
  setScalar(record, ann, session, TARGET_ANNOTATION, spec.target);
  if (spec.forwarder === "fluent-bit") setScalar(record, ann, session, FORWARDER_ANNOTATION, "fluent-bit");
  const meshKeys = meshBypassKeys(before, opts.namespaceMeta);
  if (target.port !== null) for (const key of meshKeys) addListItem(record, ann, session, key, String(target.port));
  else if (meshKeys.length > 0) notes.push(`target ${spec.target} has no port: no mesh bypass added (${meshKeys.join(", ")})`);

  if (session.pinImages) {
    const pinned = pinPolicies(record, t.spec);
    if (pinned.length > 0) notes.push(`imagePullPolicy Always → IfNotPresent on [${pinned.join(" ")}] (restored by untap)`);
  }

  if (list === "initContainers") {
    if (t.spec.initContainers === undefined) {
      t.spec.initContainers = [];
      record.created.push("spec.initContainers");
    }
    // Appended last: the init containers before it (which may prepare what the app needs) run to completion
    // first, and other native sidecars before it (a mesh proxy) are already started when it starts.
    t.spec.initContainers.push(container);
  } else t.spec.containers.push(container);
  if (volumes.length > 0) {
    if (t.spec.volumes === undefined) {
      t.spec.volumes = [];
      record.created.push("spec.volumes");
    }
    t.spec.volumes.push(...volumes);
  }

  if (spec.mode === "container" && spec.forwarder === "logtap" && !imageHasSleep(spec.image)) {
    notes.push(`${spec.image} is upstream's forwarder, which cannot run the preStop hook: none added, so the sidecar may miss the app's last lines when a pod stops (--sidecar-mode native does not)`);
  }
  const grace = t.spec.terminationGracePeriodSeconds;
  if (container.lifecycle !== undefined && typeof grace === "number" && grace < PRESTOP_SLEEP_SECONDS + 5) {
    notes.push(`terminationGracePeriodSeconds is ${grace}: the forwarder's ${PRESTOP_SLEEP_SECONDS} s preStop leaves it little time to drain (10 or more recommended)`);
  }

  record.sessions.push(session);
  ann[RECORD_ANNOTATION] = serializeRecord(record);

  let configMap: TapPlan["configMap"] = null;
  if (spec.forwarder === "fluent-bit") {
    const ns = input.metadata.namespace;
    if (ns === undefined) throw new TapError(`workload ${ref} has no namespace (needed for the Fluent Bit ConfigMap)`);
    configMap = fluentBitConfigMap(spec.session, ns, spec.target);
  }
  return {
    workload,
    before,
    after: t,
    session: spec.session,
    sidecar: { name, list },
    configMap,
    change: describeTemplateChange(before, t),
    notes,
  };
}
