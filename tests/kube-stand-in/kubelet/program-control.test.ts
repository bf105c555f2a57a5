/**
 * Mapping images to programs from outside a test's process: the stand-in CLI's `--map-image PATTERN=COMMAND` (a
 * person at a shell, or a test driving `npm run kube-stand-in`), and the control API's /stand-in/images. A
 * stand-in stopped by SIGTERM leaves no program running.
 */

import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { waitFor } from "../../support/wait-for.ts";
import { Kubectl, kubectlMissing } from "../kubectl.ts";
import { startStandIn } from "../stand-in.ts";
import { alive, POD_PROGRAM } from "./testing/program-cluster.ts";

const skip = kubectlMissing("the image-mapping control tests");
const MAIN = join(import.meta.dir, "..", "main.ts");

let procs: Subprocess[] = [];
let dirs: string[] = [];
afterEach(() => {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  procs = [];
  dirs = [];
});

describe.skipIf(skip)("mapping images to programs", () => {
  test("--map-image on the CLI: the pod runs the program; SIGTERM to the stand-in ends it too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "logtap-stand-in-map-image-"));
    dirs.push(dir);
    const kubeconfig = join(dir, "kubeconfig");
    const proc = Bun.spawn([process.execPath, MAIN, "--kubeconfig", kubeconfig, "--map-image", `stand-in.test/cli:*=${process.execPath} ${POD_PROGRAM}`], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "ignore",
      env: { ...process.env, KUBE_STAND_IN_TIME_SCALE: "0.01" },
    });
    procs.push(proc);
    const reader = proc.stdout.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^ready https:\/\/127\.0\.0\.1:\d+\n$/);
    const kubectl = new Kubectl(kubeconfig);
    await kubectl.ok(["run", "from-cli", "--image=stand-in.test/cli:1", "--restart=Never", "--", "--print", "mapped on the command line", "--pid"]);
    let logs = "";
    await waitFor(async () => (logs = (await kubectl.run(["logs", "from-cli"])).stdout).includes("pid "), 20_000, "the program's output");
    expect(logs).toStartWith("mapped on the command line\n");
    const pid = Number(/pid (\d+)/.exec(logs)![1]);
    expect(alive(pid)).toBe(true);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    await waitFor(() => !alive(pid), 5000, "the program to be gone");
  });

  test("the control API: PUT, GET and DELETE /stand-in/images", async () => {
    const k = await startStandIn();
    try {
      const put = await k.fetch("/stand-in/images", { method: "PUT", body: JSON.stringify({ pattern: "ghcr.io/logtap/logtap-forwarder:*", command: ["dist/logtap-forwarder"] }) });
      expect(put.status).toBe(200);
      expect((await k.fetch("/stand-in/images", { method: "PUT", body: JSON.stringify({ pattern: "x" }) })).status).toBe(400);
      expect(await (await k.fetch("/stand-in/images")).json()).toEqual({ images: [{ pattern: "ghcr.io/logtap/logtap-forwarder:*", program: { command: ["dist/logtap-forwarder"] } }] });
      expect(k.images.has("ghcr.io/logtap/logtap-forwarder:v0.3.0")).toBe(true);
      expect((await (await k.fetch("/stand-in/state")).json()).images).toHaveLength(1);
      expect((await k.fetch("/stand-in/images", { method: "DELETE", body: JSON.stringify({ pattern: "ghcr.io/logtap/logtap-forwarder:*" }) })).status).toBe(200);
      expect((await k.fetch("/stand-in/images", { method: "DELETE", body: JSON.stringify({ pattern: "nope" }) })).status).toBe(404);
      expect(k.images.has("ghcr.io/logtap/logtap-forwarder:v0.3.0")).toBe(false);
      // Only system:masters may use the control API.
      expect((await k.fetch("/stand-in/images", { user: "alice" })).status).toBe(403);
    } finally {
      await k.stop();
    }
  });
});
