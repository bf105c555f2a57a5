/**
 * Workloads upstream logtap tapped (annotation `logtap.dev/tapped` without our tap record) untap by upstream's
 * rules (§22.5) — except that a mesh list keeps what the user had in it — alone and under sessions of ours.
 */

import { describe, expect, test } from "bun:test";
import { planTap } from "../../../src/kube/tap/plan-tap.ts";
import { planUntap, tappedSessions } from "../../../src/kube/tap/plan-untap.ts";
import type { Container, Workload } from "../../../src/kube/tap/workload.ts";
import { deployment, S1, S2, S3 } from "./fixtures.ts";

/** The sidecar as upstream's Go tap writes it (§22.4, A.9). */
function upstreamSidecar(session: string, target: string): Container {
  return {
    name: `logtap-forwarder-${session}`,
    image: "ghcr.io/ppiankov/logtap-forwarder:latest",
    env: [
      { name: "LOGTAP_TARGET", value: target },
      { name: "LOGTAP_SESSION", value: session },
      { name: "LOGTAP_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "LOGTAP_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
    ],
    resources: { limits: { cpu: "50m", memory: "32Mi" }, requests: { cpu: "25m", memory: "16Mi" } },
    livenessProbe: { httpGet: { path: "/healthz", port: 9091 }, initialDelaySeconds: 5, periodSeconds: 10 },
    lifecycle: { preStop: { exec: { command: ["sh", "-c", "sleep 5"] } } },
  };
}

/** What upstream's tap does to `w` (annotations appended to, sidecar appended), for each session in turn. */
function upstreamTap(w: Workload, sessions: string[], target = "recv:3100", meshKey?: string): Workload {
  const out = structuredClone(w);
  const t = out.spec.template;
  const ann = (t.metadata!.annotations ??= {});
  for (const s of sessions) {
    ann["logtap.dev/tapped"] = ann["logtap.dev/tapped"] ? `${ann["logtap.dev/tapped"]},${s}` : s;
    ann["logtap.dev/target"] = target;
    if (meshKey !== undefined) {
      const port = target.split(":")[1]!;
      const items = (ann[meshKey] ?? "").split(",").filter((x) => x !== "");
      if (!items.includes(port)) ann[meshKey] = [...items, port].join(",");
    }
    t.spec.containers.push(upstreamSidecar(s, target));
  }
  return out;
}

describe("upstream-tapped workloads", () => {
  test("one session: its container and annotations go; the template is as before upstream's tap", () => {
    const w = deployment();
    const u = planUntap(upstreamTap(w, [S1]), S1);
    expect(u.removed).toEqual([{ session: S1, by: "upstream" }]);
    expect(u.conflicts).toEqual([]);
    expect(u.workload).toEqual(w);
  });

  test("tappedSessions tells upstream's sessions from ours", () => {
    const mixed = planTap(upstreamTap(deployment(), [S1]), { session: S2, target: "recv:3100", mode: "container" }).workload;
    expect(tappedSessions(mixed.spec.template)).toEqual({ record: [S2], upstream: [S1], recordError: null });
  });

  test("two sessions: the first out rewrites the list, the last takes the annotations", () => {
    const w = deployment();
    const tapped = upstreamTap(w, [S1, S2]);
    const first = planUntap(tapped, S1);
    expect(first.after.metadata!.annotations).toEqual({ "logtap.dev/tapped": S2, "logtap.dev/target": "recv:3100" });
    expect(first.after.spec.containers.map((c) => c.name)).toEqual(["app", `logtap-forwarder-${S2}`]);
    expect(planUntap(first.workload, S2).workload).toEqual(w);
    expect(planUntap(tapped, "all").workload).toEqual(w);
  });

  test("a mesh list keeps the user's ports (upstream deleted the key); one tap made alone goes", () => {
    const key = "config.linkerd.io/skip-outbound-ports";
    const withList = deployment({ annotations: { "linkerd.io/inject": "enabled", [key]: "25" } });
    const u = planUntap(upstreamTap(withList, [S1], "recv:3100", key), S1);
    expect(u.workload).toEqual(withList);
    expect(u.notes).toEqual([`kept ${key}="25" without port 3100 (upstream logtap would delete it)`]);
    const bare = deployment({ annotations: { "linkerd.io/inject": "enabled" } });
    expect(planUntap(upstreamTap(bare, [S1], "recv:3100", key), S1).workload).toEqual(bare);
  });

  test("Fluent Bit: upstream's shared volumes and the session's ConfigMap go", () => {
    const w = deployment({ spec: { volumes: [{ name: "data", emptyDir: {} }] } });
    const tapped = upstreamTap(w, [S1]);
    const t = tapped.spec.template;
    t.metadata!.annotations!["logtap.dev/forwarder"] = "fluent-bit";
    t.spec.containers[1] = {
      name: `logtap-forwarder-${S1}`,
      image: "fluent/fluent-bit:3.2",
      args: ["/fluent-bit/bin/fluent-bit", "-c", "/fluent-bit/etc/fluent-bit.conf"],
      volumeMounts: [
        { name: "logtap-fb-config", mountPath: "/fluent-bit/etc", readOnly: true },
        { name: "logtap-fb-varlog", mountPath: "/var/log/pods", readOnly: true },
      ],
    };
    t.spec.volumes!.push({ name: "logtap-fb-config", configMap: { name: `logtap-fb-${S1}` } }, { name: "logtap-fb-varlog", hostPath: { path: "/var/log/pods" } });
    const u = planUntap(tapped, S1);
    expect(u.configMapsToDelete).toEqual([`logtap-fb-${S1}`]);
    expect(u.workload).toEqual(w);
  });

  test("a missing container is reported; the annotations are cleaned anyway", () => {
    const tapped = upstreamTap(deployment(), [S1]);
    tapped.spec.template.spec.containers.pop();
    const u = planUntap(tapped, S1);
    expect(u.conflicts).toEqual([`container logtap-forwarder-${S1} not found: only the annotations were cleaned`]);
    expect(u.workload).toEqual(deployment());
  });
});

describe("sessions of ours on top of upstream's", () => {
  const key = "config.linkerd.io/skip-outbound-ports";
  const original = () => deployment({ annotations: { "linkerd.io/inject": "enabled", [key]: "25" } });
  const ours = (w: Workload, session: string, target: string) => planTap(w, { session, target, mode: "native", pinImages: true }).workload;

  test("ours out first gives back upstream's state exactly", () => {
    const up = upstreamTap(original(), [S1], "recv:3100", key);
    const mixed = ours(up, S2, "recv:4000");
    expect(mixed.spec.template.metadata!.annotations![key]).toBe("25,3100,4000");
    expect(JSON.stringify(planUntap(mixed, S2).workload)).toBe(JSON.stringify(up));
  });

  test("upstream's out first, then ours: the original template, in either order and with `all`", () => {
    for (const port of ["4000", "3100"]) {
      const up = upstreamTap(original(), [S1], "recv:3100", key);
      const mixed = ours(up, S2, `recv:${port}`);
      const upstreamOut = planUntap(mixed, S1);
      expect(upstreamOut.removed).toEqual([{ session: S1, by: "upstream" }]);
      // Our session still needs its port; upstream's port goes unless ours is the same one.
      expect(upstreamOut.after.metadata!.annotations![key]).toBe(port === "3100" ? "25,3100" : "25,4000");
      expect(upstreamOut.after.metadata!.annotations!["logtap.dev/tapped"]).toBe(S2);
      expect(upstreamOut.after.metadata!.annotations!["logtap.dev/target"]).toBe(`recv:${port}`);
      expect(JSON.stringify(planUntap(upstreamOut.workload, S2).workload), port).toBe(JSON.stringify(original()));
      expect(JSON.stringify(planUntap(mixed, "all").workload), port).toBe(JSON.stringify(original()));
    }
  });

  test("two upstream sessions and two of ours, out in an interleaved order", () => {
    const up = upstreamTap(original(), [S1, S3], "recv:3100", key);
    const mixed = ours(ours(up, S2, "recv:4000"), "lt-aaaaaaaaaaaaaaaa", "recv:3100");
    let w = mixed;
    for (const s of [S3, "lt-aaaaaaaaaaaaaaaa", S1, S2]) w = planUntap(w, s).workload;
    expect(JSON.stringify(w)).toBe(JSON.stringify(original()));
  });
});
