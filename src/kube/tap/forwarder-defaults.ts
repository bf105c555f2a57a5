/**
 * The sidecar's defaults and the contract the forwarder image must honour — in one place, because issue 12 sets
 * the resource defaults from measuring our Bun forwarder and chooses the image; nothing else in tap hard-codes them.
 */

/** `--image` default: src/kube/images.ts keeps every default image name. */
export { DEFAULT_FORWARDER_IMAGE } from "../images.ts";

/**
 * `--sidecar-memory` / `--sidecar-cpu` defaults (the request; the limit is twice it). Upstream's 16Mi/25m fit a Go
 * binary; a Bun process needs more — issue 12 measures it and sets these two values.
 */
export const DEFAULT_SIDECAR_MEMORY = "16Mi";
export const DEFAULT_SIDECAR_CPU = "25m";

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

/** The Fluent Bit variant: where the config is mounted and how Fluent Bit is started (§22.4). */
export const FLUENT_BIT_BINARY = "/fluent-bit/bin/fluent-bit";
export const FLUENT_BIT_CONFIG_DIR = "/fluent-bit/etc";
export const FLUENT_BIT_CONFIG_FILE = "fluent-bit.conf";
/** The kubelet's pod log directory, mounted read-only for Fluent Bit's tail input. */
export const POD_LOG_DIR = "/var/log/pods";
