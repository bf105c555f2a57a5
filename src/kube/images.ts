/**
 * The images logtap runs in a cluster by default, in one place (docs/kubernetes.md, "Images" says how to build
 * them: scripts/docker/receiver.Dockerfile and forwarder/Dockerfile).
 *
 * The receiver image is ours, tagged with this CLI's own version: the CLI and the receiver it deploys speak the
 * `--serve-capture` protocol, which upstream's image (ghcr.io/ppiankov/logtap) does not have, and a floating tag
 * would let the two drift apart. The forwarder only has to honour §23.1's environment contract, which upstream's
 * image does too, so tap keeps its default until our forwarder image is published.
 */

import { VERSION } from "../version.ts";

export const RECEIVER_IMAGE_REPOSITORY = "ghcr.io/logtap/logtap";
export const DEFAULT_RECEIVER_IMAGE = `${RECEIVER_IMAGE_REPOSITORY}:${VERSION}`;

export const DEFAULT_FORWARDER_IMAGE = "ghcr.io/ppiankov/logtap-forwarder:latest";
