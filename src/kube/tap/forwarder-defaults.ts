/**
 * The sidecar's defaults and the contract the forwarder image must honour — in one place, because issue 12 sets
 * the resource defaults from measuring our Bun forwarder and chooses the image; nothing else in tap hard-codes them.
 */

import { imageRepository, UPSTREAM_FORWARDER_IMAGE_REPOSITORY } from "../images.ts";

/** `--image` default: src/kube/images.ts keeps every default image name. */
export { DEFAULT_FORWARDER_IMAGE } from "../images.ts";

/**
 * `--sidecar-memory` / `--sidecar-cpu` defaults (the request; the limit is twice it), from measuring our forwarder
 * (scripts/bench/forwarder, docs/benchmarks.md "Forwarder"): RSS 52 MiB idle, 66 MiB (peak 74) at 1,000 lines/s,
 * peaks of 87–97 MiB reading at full speed, also with the receiver down and the 1 MiB retry buffer full — so the
 * request covers the steady load and the 160Mi limit the worst case with room to spare. CPU ~0.1 core at 1,000
 * lines/s: the request, with a 200m limit for bursts. Upstream's 16Mi/25m fit its Go binary; a Bun process would be
 * OOM-killed at 32Mi.
 */
export const DEFAULT_SIDECAR_MEMORY = "80Mi";
export const DEFAULT_SIDECAR_CPU = "100m";

/** The forwarder's health server (§23.4): liveness is `GET /healthz` on this port. */
export const FORWARDER_HEALTH_PORT = 9091;
export const FORWARDER_HEALTH_PATH = "/healthz";

/**
 * How long the forwarder outlives the app's SIGTERM in `container` mode, so the app's last lines still get read.
 * Upstream runs `sh -c "sleep 5"`, which always fails: the image is FROM scratch (§26 Q22).
 */
export const PRESTOP_SLEEP_SECONDS = 5;

/**
 * CONTRACT for the forwarder image (issue 12): its binary lives at this path and, run as
 * `/logtap-forwarder sleep <seconds>`, sleeps that many whole seconds and exits 0 without reading any LOGTAP_*
 * variable or opening any connection. tap's preStop hook execs exactly this; no shell is involved.
 */
export const FORWARDER_BINARY = "/logtap-forwarder";
export const PRESTOP_COMMAND: readonly string[] = [FORWARDER_BINARY, "sleep", String(PRESTOP_SLEEP_SECONDS)];

/**
 * Whether an image honours the contract above: every image but upstream's, whose Go forwarder knows no `sleep`
 * (it would fail the hook at once, or start a second forwarder that pushes the pod's lines again until the grace
 * period ends). Any other name is taken to be ours, as built from forwarder/Dockerfile under a name of your own.
 * A pure function of the image, so untap, which rebuilds the sidecar from the tap record, agrees with tap.
 */
export function imageHasSleep(image: string): boolean {
  return imageRepository(image) !== UPSTREAM_FORWARDER_IMAGE_REPOSITORY;
}

/** The Fluent Bit variant: where the config is mounted and how Fluent Bit is started (§22.4). */
export const FLUENT_BIT_BINARY = "/fluent-bit/bin/fluent-bit";
export const FLUENT_BIT_CONFIG_DIR = "/fluent-bit/etc";
export const FLUENT_BIT_CONFIG_FILE = "fluent-bit.conf";
/** The kubelet's pod log directory, mounted read-only for Fluent Bit's tail input. */
export const POD_LOG_DIR = "/var/log/pods";
