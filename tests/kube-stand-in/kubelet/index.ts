/**
 * The kubelet part of the stand-in as a StandInComponent: `createKubelet({ timeScale })` registers the nodes, runs
 * pods, turns on the store's graceful pod deletion (the kubelet finishes it) and serves `pods/log`. The component
 * is also the test's handle: `component.kubelet.container(namespace, pod, container)` drives a container's output.
 */

import type { StandInComponent, StandInContext } from "../contract.ts";
import { Kubelet, type KubeletOptions } from "./kubelet.ts";

export { Kubelet, type KubeletOptions } from "./kubelet.ts";
export type { ContainerControl } from "./container-control.ts";
export type { WrittenLine } from "./container-output.ts";
export { LOG_SCRIPT_ANNOTATION_PREFIX, type LogScript } from "./log-script.ts";
export type { ImageMapping, ImageProgram } from "./program-images.ts";
export { setKubeletVersion, type NodeSpec } from "./nodes.ts";

export interface KubeletComponent extends StandInComponent {
  readonly kubelet: Kubelet;
}

export function createKubelet(opts: KubeletOptions = {}): KubeletComponent {
  const timeScale = opts.timeScale ?? envTimeScale();
  const kubelet = new Kubelet({ ...opts, timeScale });
  let unregister: (() => void) | undefined;
  return {
    name: "kubelet",
    kubelet,
    start(ctx: StandInContext) {
      ctx.store.gracefulPodDeletion = true;
      unregister = ctx.server.handleSubresource("", "pods", "log", kubelet.podLogHandler);
      kubelet.attach(ctx.store, ctx.version, ctx.cluster);
    },
    async stop() {
      unregister?.();
      await kubelet.detach();
    },
  };
}

/** `KUBE_STAND_IN_TIME_SCALE` lets a person running the stand-in by hand speed it up too. */
export function envTimeScale(): number | undefined {
  const v = process.env.KUBE_STAND_IN_TIME_SCALE;
  return v ? Number(v) : undefined;
}
