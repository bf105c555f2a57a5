/**
 * The controllers as a StandInComponent: `createControllers({ timeScale })` attaches the Deployment, ReplicaSet,
 * StatefulSet and DaemonSet controllers to the stand-in's store (garbage collection is the store side's own
 * component). Give the kubelet the same clock (`createKubelet({ clock: component.clock })`) or the same timeScale.
 */

import type { StandInComponent, StandInContext } from "../contract.ts";
import { ClusterClock } from "./cluster-clock.ts";
import { type ControllerManager, type ControllerManagerOptions, startControllers } from "./controller-manager.ts";

export { ClusterClock } from "./cluster-clock.ts";
export { startControllers, type ControllerManager, type ControllerManagerOptions } from "./controller-manager.ts";

export interface ControllersComponent extends StandInComponent {
  readonly clock: ClusterClock;
}

export function createControllers(opts: ControllerManagerOptions = {}): ControllersComponent {
  const clock = opts.clock ?? new ClusterClock({ timeScale: opts.timeScale ?? envTimeScale() });
  let manager: ControllerManager | undefined;
  return {
    name: "controllers",
    clock,
    start(ctx: StandInContext) {
      manager = startControllers(ctx.store, { ...opts, clock });
    },
    stop() {
      manager?.stop();
      if (!opts.clock) clock.stop();
    },
  };
}

function envTimeScale(): number | undefined {
  const v = process.env.KUBE_STAND_IN_TIME_SCALE;
  return v ? Number(v) : undefined;
}
