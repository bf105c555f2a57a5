/**
 * Untapping a session that upstream logtap tapped in (a `logtap.dev/tapped` entry with no tap record), by
 * upstream's rules (§22.5): remove container `logtap-forwarder-<session>` and, for Fluent Bit, its `logtap-fb-*`
 * volumes and ConfigMap `logtap-fb-<session>`; rewrite `logtap.dev/tapped` without the session; after the last
 * session delete `logtap.dev/target` and `logtap.dev/forwarder`.
 * One deliberate difference: upstream deletes both mesh bypass annotations even when the user had set them; here
 * only the port of the target upstream tapped with is taken out of each list, and the key is deleted only when
 * nothing else is left in it. What upstream left changed (pinned pull policies) cannot be known and stays.
 *
 * The annotations are reached through a view, because when tap sessions of ours sit on top of upstream's, the
 * values to edit are the originals in our record rather than the live ones (plan-untap.ts).
 */

import { listItems, removeItem } from "./comma-list.ts";
import { UPSTREAM_FLUENT_BIT_VOLUMES } from "./fluent-bit.ts";
import { MESH_BYPASS_KEYS } from "./mesh.ts";
import { FORWARDER_ANNOTATION, fluentBitConfigMapName, sidecarName, TAPPED_ANNOTATION, TARGET_ANNOTATION } from "./names.ts";
import { parseTarget } from "./target.ts";
import { allContainers, type PodSpec } from "./workload.ts";

export interface AnnotationView {
  get(key: string): string | null;
  set(key: string, value: string | null): void;
}

export interface UpstreamRemoval {
  conflicts: string[];
  notes: string[];
  configMaps: string[];
}

function mountedByAny(spec: PodSpec, volume: string): boolean {
  return allContainers(spec).some(({ container }) => (container.volumeMounts ?? []).some((m) => m.name === volume));
}

/** Removes upstream session `session` from `spec` and the annotations behind `view`. */
export function removeUpstreamSession(spec: PodSpec, view: AnnotationView, session: string): UpstreamRemoval {
  const out: UpstreamRemoval = { conflicts: [], notes: [], configMaps: [] };
  const name = sidecarName(session);
  const found = allContainers(spec).find(({ container }) => container.name === name);
  const fluentBit =
    view.get(FORWARDER_ANNOTATION) === "fluent-bit" ||
    (found?.container.volumeMounts ?? []).some((m) => UPSTREAM_FLUENT_BIT_VOLUMES.includes(m.name));
  if (found === undefined) out.conflicts.push(`container ${name} not found: only the annotations were cleaned`);
  else {
    const list = spec[found.list]!;
    list.splice(list.indexOf(found.container), 1);
  }
  // The API server omits empty lists, so a list emptied here is dropped, as upstream's update drops it.
  if (found?.list === "initContainers" && spec.initContainers!.length === 0) delete spec.initContainers;
  if (fluentBit) {
    out.configMaps.push(fluentBitConfigMapName(session));
    // Upstream's volume names are shared by all its Fluent Bit sessions: keep them while another still mounts them.
    if (spec.volumes !== undefined) {
      spec.volumes = spec.volumes.filter((v) => !UPSTREAM_FLUENT_BIT_VOLUMES.includes(v.name) || mountedByAny(spec, v.name));
      if (spec.volumes.length === 0) delete spec.volumes;
    }
  }

  const tapped = view.get(TAPPED_ANNOTATION);
  const without = tapped === null ? null : removeItem(tapped, session);
  if (without === null) out.conflicts.push(`${TAPPED_ANNOTATION} does not list ${session}`);
  else if (listItems(without).length > 0) {
    view.set(TAPPED_ANNOTATION, without);
    return out;
  }
  // The last upstream session: its annotations go.
  const target = view.get(TARGET_ANNOTATION);
  const parsed = target === null ? null : parseTarget(target);
  const port = parsed !== null && typeof parsed !== "string" && parsed.port !== null ? String(parsed.port) : null;
  view.set(TAPPED_ANNOTATION, null);
  view.set(TARGET_ANNOTATION, null);
  view.set(FORWARDER_ANNOTATION, null);
  for (const key of MESH_BYPASS_KEYS) {
    const value = view.get(key);
    if (value === null) continue;
    const rest = port === null ? null : removeItem(value, port);
    if (rest === null) out.notes.push(`kept ${key}=${JSON.stringify(value)}: it does not list the target's port (upstream logtap would delete it)`);
    else if (listItems(rest).length === 0) view.set(key, null);
    else {
      view.set(key, rest);
      out.notes.push(`kept ${key}=${JSON.stringify(rest)} without port ${port} (upstream logtap would delete it)`);
    }
  }
  return out;
}
