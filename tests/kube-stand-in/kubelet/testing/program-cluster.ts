/**
 * Test support for the program-*.test.ts files: a stand-in with the controllers and the kubelet (one fast clock),
 * the admin's kubectl, and the image `stand-in.test/pod-program:*` mapped to testing/pod-program.ts, run with this
 * Bun (also as `/pod-program` in preStop and exec-probe commands). `stop()` also checks that the kubelet left no program running.
 */

import { afterAll, beforeAll } from "bun:test";
import { join } from "node:path";
import { waitFor } from "../../../support/wait-for.ts";
import { createControllers } from "../../controllers/index.ts";
import { Kubectl } from "../../kubectl.ts";
import { type StandIn, startStandIn } from "../../stand-in.ts";
import { type KubeletComponent, createKubelet } from "../index.ts";

export const POD_PROGRAM = join(import.meta.dir, "pod-program.ts");
export const PROGRAM_IMAGE = "stand-in.test/pod-program:1";

export interface ProgramCluster {
  k: StandIn;
  kubelet: KubeletComponent["kubelet"];
  admin: Kubectl;
  /** `kubectl apply -f -` of this YAML. */
  apply(yaml: string): Promise<void>;
  /** Stops the stand-in; returns the pids of the kubelet's programs that were running just before. */
  stop(): Promise<number[]>;
}

export async function programCluster(o: { timeScale?: number; programStartGraceMs?: number } = {}): Promise<ProgramCluster> {
  const controllers = createControllers({ timeScale: o.timeScale ?? 0.01 });
  const kubelet = createKubelet({ clock: controllers.clock, programStartGraceMs: o.programStartGraceMs });
  const k = await startStandIn({ components: [controllers, kubelet] });
  // `/pod-program` is where the image would have it: a preStop or exec probe naming it runs the script.
  k.mapImage("stand-in.test/pod-program:*", { command: [process.execPath, POD_PROGRAM], paths: { "/pod-program": [process.execPath, POD_PROGRAM] } });
  const admin = new Kubectl(k.kubeconfig());
  return {
    k,
    kubelet: kubelet.kubelet,
    admin,
    apply: async (yaml) => void (await admin.ok(["apply", "-f", "-"], { stdin: yaml })),
    async stop() {
      const pids = kubelet.kubelet.programPids();
      await k.stop();
      return pids;
    },
  };
}

/**
 * The cluster of the test file that calls this (at its top level): started before its tests unless `skip`, stopped
 * after them, and then checked that nothing the kubelet started outlives the stand-in. Its parts can be reached once
 * the tests run.
 */
export function useProgramCluster(skip: boolean, o: Parameters<typeof programCluster>[0] = {}): Omit<ProgramCluster, "stop"> {
  let cluster: ProgramCluster | undefined;
  beforeAll(async () => {
    if (!skip) cluster = await programCluster(o);
  });
  afterAll(async () => {
    if (!cluster) return;
    const pids = await cluster.stop();
    await waitFor(() => pids.every((p) => !alive(p)), 5000, "every program to be gone");
  });
  const started = (): ProgramCluster => {
    if (!cluster) throw new Error("the program cluster starts before the tests (and not at all when they are skipped)");
    return cluster;
  };
  return {
    get k() {
      return started().k;
    },
    get kubelet() {
      return started().kubelet;
    },
    get admin() {
      return started().admin;
    },
    apply: (yaml) => started().apply(yaml),
  };
}

/** The log of `pod` (or of one of its containers) once it has at least `lines` lines. */
export async function logsOf(c: Pick<ProgramCluster, "admin">, pod: string, lines: number, container?: string): Promise<string> {
  let out = "";
  await waitFor(async () => {
    const r = await c.admin.run(["logs", pod, ...(container ? ["-c", container] : [])]);
    out = r.stdout;
    return r.code === 0 && out.split("\n").filter(Boolean).length >= lines;
  }, 20_000, `${lines} lines of ${pod}'s log`);
  return out;
}

/** True while a process with this pid exists (a zombie not yet reaped counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}
