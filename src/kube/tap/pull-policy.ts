/**
 * `--pin-images` (§22.3): a rollout re-pulls every `imagePullPolicy: Always` image, and fails if the registry is
 * unreachable from the new node; pinning sets those containers to `IfNotPresent` for the tap. Upstream pins only
 * app containers and never puts the policy back; here init containers are pinned too (their pull fails a rollout
 * just the same), the previous policy is recorded per container name, and untap restores it once no remaining
 * session asked for pinning.
 */

import { SIDECAR_PREFIX } from "./names.ts";
import type { TapRecord } from "./tap-record.ts";
import { allContainers, type PodSpec } from "./workload.ts";

export const PINNED_POLICY = "IfNotPresent";

/** The names of the user's containers (app and init) with `imagePullPolicy: Always`: §22.3 step 12's warning list. */
export function alwaysPullContainers(spec: PodSpec): string[] {
  return allContainers(spec)
    .filter(({ container }) => !container.name.startsWith(SIDECAR_PREFIX) && container.imagePullPolicy === "Always")
    .map(({ container }) => container.name);
}

/** tap: pins every Always container, remembering the first policy each had; returns the names pinned now. */
export function pinPolicies(record: TapRecord, spec: PodSpec): string[] {
  const names = alwaysPullContainers(spec);
  for (const { container } of allContainers(spec)) {
    if (!names.includes(container.name)) continue;
    record.pulls[container.name] ??= container.imagePullPolicy!;
    container.imagePullPolicy = PINNED_POLICY;
  }
  return names;
}

/** untap, once no remaining session pins: puts every recorded policy back; returns the conflicts. */
export function restorePolicies(record: TapRecord, spec: PodSpec): string[] {
  const conflicts: string[] = [];
  for (const [name, previous] of Object.entries(record.pulls)) {
    const found = allContainers(spec).find(({ container }) => container.name === name);
    if (found === undefined) conflicts.push(`container ${name} (imagePullPolicy pinned by tap) is gone: nothing to restore`);
    else if (found.container.imagePullPolicy !== PINNED_POLICY) {
      conflicts.push(`container ${name} imagePullPolicy was changed since tap (${found.container.imagePullPolicy ?? "unset"}): kept it`);
    } else found.container.imagePullPolicy = previous;
  }
  record.pulls = {};
  return conflicts;
}

/** §22.3 step 12's warning for one workload (stderr lines), or [] when no container pulls Always. */
export function pullPolicyWarning(ref: string, spec: PodSpec, pinImages: boolean): string[] {
  const names = alwaysPullContainers(spec);
  if (names.length === 0) return [];
  return [
    `Warning: ${ref} has imagePullPolicy: Always on [${names.join(" ")}]`,
    ...(pinImages
      ? ["  --pin-images: will set IfNotPresent during tap."]
      : ["  Rollout may fail if the image registry is unreachable from the new node.", "  Use --pin-images to set IfNotPresent during tap."]),
  ];
}
