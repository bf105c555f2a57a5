/** The Fluent Bit variant (§22.4): container, per-session volumes, the ConfigMap and its config text. */

import { describe, expect, test } from "bun:test";
import { fluentBitConfig, fluentBitConfigMap } from "../../../src/kube/tap/fluent-bit.ts";
import { planTap } from "../../../src/kube/tap/plan-tap.ts";
import { planUntap } from "../../../src/kube/tap/plan-untap.ts";
import { deployment, S1, S2 } from "./fixtures.ts";

const fb = { session: S1, target: "recv.example:3100", mode: "container" as const, forwarder: "fluent-bit" as const, image: "fluent/fluent-bit:3.2" };

describe("Fluent Bit variant", () => {
  test("container, mounts and volumes; forwarder annotation; the ConfigMap to create", () => {
    const p = planTap(deployment(), fb);
    const c = p.after.spec.containers[1]!;
    expect(c.name).toBe(`logtap-forwarder-${S1}`);
    expect(c.image).toBe("fluent/fluent-bit:3.2");
    expect(c.command).toEqual(["/fluent-bit/bin/fluent-bit", "-c", "/fluent-bit/etc/fluent-bit.conf"]);
    expect(c.livenessProbe).toBeUndefined();
    expect(c.lifecycle).toBeUndefined();
    expect(c.resources).toEqual({ limits: { cpu: "200m", memory: "160Mi" }, requests: { cpu: "100m", memory: "80Mi" } });
    expect(c.volumeMounts).toEqual([
      { name: `logtap-fb-config-${S1}`, mountPath: "/fluent-bit/etc", readOnly: true },
      { name: `logtap-fb-varlog-${S1}`, mountPath: "/var/log/pods", readOnly: true },
    ]);
    expect(p.after.spec.volumes).toEqual([
      { name: `logtap-fb-config-${S1}`, configMap: { name: `logtap-fb-${S1}` } },
      { name: `logtap-fb-varlog-${S1}`, hostPath: { path: "/var/log/pods" } },
    ]);
    expect(p.after.metadata!.annotations!["logtap.dev/forwarder"]).toBe("fluent-bit");
    expect(p.configMap).toEqual(fluentBitConfigMap(S1, "default", "recv.example:3100"));
    expect(p.configMap!.metadata).toEqual({
      name: `logtap-fb-${S1}`,
      namespace: "default",
      labels: { "app.kubernetes.io/managed-by": "logtap", "logtap.dev/session": S1 },
    });
  });

  test("fluent-bit.conf: §22.4's sections, this pod's own log directory, the target as Host/Port/tls", () => {
    expect(fluentBitConfig(S1, "recv.example:3100")).toBe(
      [
        "[SERVICE]",
        "    Flush        1",
        "    Log_Level    info",
        "",
        "[INPUT]",
        "    Name              tail",
        "    Path              /var/log/pods/${LOGTAP_NAMESPACE}_${LOGTAP_POD_NAME}_*/*/*.log",
        "    Exclude_Path      /var/log/pods/*/logtap-forwarder-*/*.log",
        "    multiline.parser  cri",
        "    Tag               kube.*",
        "    Read_from_Head    False",
        "    Refresh_Interval  5",
        "",
        "[FILTER]",
        "    Name    modify",
        "    Match   *",
        `    Add     session ${S1}`,
        "",
        "[OUTPUT]",
        "    Name                    loki",
        "    Match                   *",
        "    Host                    recv.example",
        "    Port                    3100",
        "    tls                     off",
        `    Labels                  session=${S1}`,
        "    Auto_Kubernetes_Labels  off",
        "",
      ].join("\n"),
    );
    const https = fluentBitConfig(S1, "https://recv.example");
    expect(https).toContain("    Host                    recv.example\n    Port                    443\n    tls                     on\n");
    expect(fluentBitConfig(S1, "recv")).toContain("    Port                    80\n");
  });

  test("nothing unsafe reaches the config", () => {
    expect(() => fluentBitConfig(S1, "recv\n[OUTPUT]")).toThrow("invalid --target");
    expect(() => fluentBitConfig("lt-x\n", "recv")).toThrow("invalid session id");
    expect(() => fluentBitConfigMap(S1, "Bad Namespace", "recv")).toThrow("invalid namespace");
  });

  test("two Fluent Bit sessions share a pod (per-session volumes); untap deletes each one's ConfigMap", () => {
    const both = planTap(planTap(deployment(), fb).workload, { ...fb, session: S2 });
    expect(both.after.spec.volumes!.map((v) => v.name)).toEqual([`logtap-fb-config-${S1}`, `logtap-fb-varlog-${S1}`, `logtap-fb-config-${S2}`, `logtap-fb-varlog-${S2}`]);
    const u = planUntap(both.workload, S1);
    expect(u.configMapsToDelete).toEqual([`logtap-fb-${S1}`]);
    expect(u.after.spec.volumes!.map((v) => v.name)).toEqual([`logtap-fb-config-${S2}`, `logtap-fb-varlog-${S2}`]);
    expect(u.after.metadata!.annotations!["logtap.dev/forwarder"]).toBe("fluent-bit");
    const all = planUntap(u.workload, "all");
    expect(all.configMapsToDelete).toEqual([`logtap-fb-${S2}`]);
    expect(all.workload).toEqual(deployment());
  });
});
