/**
 * The forwarder container tap adds (§22.4), built from a small spec that the tap record keeps per session — so
 * untap can rebuild exactly what was added and tell whether someone has changed it since.
 */

import {
  FORWARDER_HEALTH_PATH,
  FORWARDER_HEALTH_PORT,
  imageHasSleep,
  PRESTOP_COMMAND,
} from "./forwarder-defaults.ts";
import { fluentBitContainer } from "./fluent-bit.ts";
import { sidecarName } from "./names.ts";
import { sidecarResources, type SidecarSpec } from "./sidecar-spec.ts";
import type { Container, Volume } from "./workload.ts";

function logtapForwarder(spec: SidecarSpec): Container {
  const c: Container = { name: sidecarName(spec.session), image: spec.image };
  // A native sidecar is an init container that keeps running; the kubelet stops it after the app containers.
  if (spec.mode === "native") c.restartPolicy = "Always";
  c.env = [
    { name: "LOGTAP_TARGET", value: spec.target },
    { name: "LOGTAP_SESSION", value: spec.session },
    { name: "LOGTAP_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "LOGTAP_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
  ];
  c.resources = sidecarResources(spec.memory, spec.cpu);
  c.livenessProbe = {
    httpGet: { path: FORWARDER_HEALTH_PATH, port: FORWARDER_HEALTH_PORT },
    initialDelaySeconds: 5,
    periodSeconds: 10,
  };
  // As a plain container the forwarder gets SIGTERM together with the app; the hook keeps it reading the app's
  // last lines for a few seconds. A native sidecar is only stopped after the app has exited, so it needs none;
  // upstream's image cannot run the hook (planTap notes what that costs).
  if (spec.mode === "container" && imageHasSleep(spec.image)) c.lifecycle = { preStop: { exec: { command: [...PRESTOP_COMMAND] } } };
  return c;
}

/** The container and the volumes (Fluent Bit only) one session adds. */
export function buildSidecar(spec: SidecarSpec): { container: Container; volumes: Volume[] } {
  if (spec.forwarder === "fluent-bit") return fluentBitContainer(spec);
  return { container: logtapForwarder(spec), volumes: [] };
}
