/**
 * The images logtap runs in a cluster by default, in one place (docs/kubernetes.md, "Images" says how to build
 * them: scripts/docker/receiver.Dockerfile and forwarder/Dockerfile).
 *
 * Both are ours, tagged with this CLI's own version, because each speaks something only this build knows: the
 * receiver the `--serve-capture` protocol (upstream's ghcr.io/ppiankov/logtap has none), the forwarder the
 * `/logtap-forwarder sleep 5` preStop tap gives it in container mode (upstream's Go forwarder has no such command).
 * A floating tag would let the CLI and what it deploys drift apart.
 */

import { VERSION } from "../version.ts";

export const RECEIVER_IMAGE_REPOSITORY = "ghcr.io/logtap/logtap";
export const DEFAULT_RECEIVER_IMAGE = `${RECEIVER_IMAGE_REPOSITORY}:${VERSION}`;

export const FORWARDER_IMAGE_REPOSITORY = "ghcr.io/logtap/logtap-forwarder";
export const DEFAULT_FORWARDER_IMAGE = `${FORWARDER_IMAGE_REPOSITORY}:${VERSION}`;

/** Upstream's forwarder, still usable with `tap --image` (docs/kubernetes.md, "Compatibility"). */
export const UPSTREAM_FORWARDER_IMAGE_REPOSITORY = "ghcr.io/ppiankov/logtap-forwarder";

/** `registry/name:tag@sha256:…` → `registry/name` (a `:` before the last `/` is a registry port, not a tag). */
export function imageRepository(image: string): string {
  const name = image.split("@", 1)[0]!;
  const colon = name.lastIndexOf(":");
  return colon > name.lastIndexOf("/") ? name.slice(0, colon) : name;
}
