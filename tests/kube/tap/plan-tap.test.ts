/** planTap against §22.2–§22.4, rule by rule. */

import { describe, expect, test } from "bun:test";
import { DEFAULT_FORWARDER_IMAGE, FORWARDER_IMAGE_REPOSITORY } from "../../../src/kube/images.ts";
import { PRESTOP_COMMAND } from "../../../src/kube/tap/forwarder-defaults.ts";
import { planUntap } from "../../../src/kube/tap/plan-untap.ts";
import { VERSION } from "../../../src/version.ts";
import { planTap } from "../../../src/kube/tap/plan-tap.ts";
import { alwaysPullContainers, pullPolicyWarning } from "../../../src/kube/tap/pull-policy.ts";
import { parseRecord } from "../../../src/kube/tap/tap-record.ts";
import { TapError, type Container } from "../../../src/kube/tap/workload.ts";
import { deployment, S1, S2 } from "./fixtures.ts";

const base = { session: S1, target: "recv.example:3100", mode: "container" as const };

describe("the sidecar (§22.4)", () => {
  test("container mode: appended to containers with env, probe, resources and a preStop that needs no shell", () => {
    const p = planTap(deployment(), base);
    expect(p.sidecar).toEqual({ name: `logtap-forwarder-${S1}`, list: "containers" });
    expect(p.after.spec.containers.map((c) => c.name)).toEqual(["app", `logtap-forwarder-${S1}`]);
    expect(p.after.spec.containers[1]).toEqual({
      name: `logtap-forwarder-${S1}`,
      image: `ghcr.io/logtap/logtap-forwarder:${VERSION}`,
      env: [
        { name: "LOGTAP_TARGET", value: "recv.example:3100" },
        { name: "LOGTAP_SESSION", value: S1 },
        { name: "LOGTAP_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "LOGTAP_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
      ],
      resources: { limits: { cpu: "200m", memory: "160Mi" }, requests: { cpu: "100m", memory: "80Mi" } },
      livenessProbe: { httpGet: { path: "/healthz", port: 9091 }, initialDelaySeconds: 5, periodSeconds: 10 },
      lifecycle: { preStop: { exec: { command: ["/logtap-forwarder", "sleep", "5"] } } },
    });
    expect(PRESTOP_COMMAND).toEqual(["/logtap-forwarder", "sleep", "5"]);
    expect(p.after.spec.initContainers).toBeUndefined();
  });

  test("native mode: the last init container, restartPolicy Always, no preStop; earlier init containers and native sidecars stay first", () => {
    const w = deployment({ spec: { initContainers: [{ name: "migrate", image: "m" }, { name: "istio-proxy", image: "p", restartPolicy: "Always" }] } });
    const p = planTap(w, { ...base, mode: "native" });
    expect(p.sidecar.list).toBe("initContainers");
    expect(p.after.spec.initContainers!.map((c) => c.name)).toEqual(["migrate", "istio-proxy", `logtap-forwarder-${S1}`]);
    const sidecar = p.after.spec.initContainers![2]!;
    expect(sidecar.restartPolicy).toBe("Always");
    expect(sidecar.lifecycle).toBeUndefined();
    expect(sidecar.livenessProbe).toBeDefined();
    expect(p.after.spec.containers.map((c) => c.name)).toEqual(["app"]);
  });

  test("native mode creates initContainers when the template has none", () => {
    const p = planTap(deployment(), { ...base, mode: "native" });
    expect(p.after.spec.initContainers!.map((c) => c.name)).toEqual([`logtap-forwarder-${S1}`]);
    expect(parseRecord(p.after.metadata!.annotations!["logtap.dev/tap-record"]!).created).toContain("spec.initContainers");
  });

  test("--sidecar-memory / --sidecar-cpu: requests as given, limits twice them, a note where upstream would differ", () => {
    const p = planTap(deployment(), { ...base, memory: "1.5Gi", cpu: "0.5" });
    expect(p.after.spec.containers[1]!.resources).toEqual({ limits: { cpu: "1", memory: "3Gi" }, requests: { cpu: "0.5", memory: "1.5Gi" } });
    expect(p.notes).toContain("sidecar memory limit is 3Gi (2 × 1.5Gi); upstream logtap would have set 2.5Gi");
    expect(p.notes).toContain("sidecar cpu limit is 1 (2 × 0.5); upstream logtap would have set 0.5");
    expect(planTap(deployment(), { ...base, memory: "64Mi" }).notes).toEqual([]);
  });

  test("invalid options are refused with the flags' messages", () => {
    expect(() => planTap(deployment(), { ...base, target: "host;rm -rf /" })).toThrow('invalid --target "host;rm -rf /"');
    expect(() => planTap(deployment(), { ...base, memory: "lots" })).toThrow('invalid --sidecar-memory "lots": must be a valid Kubernetes resource quantity');
    expect(() => planTap(deployment(), { ...base, session: "lt-x" })).toThrow(TapError);
    expect(() => planTap(deployment(), { ...base, forwarder: "fluent-bit" })).toThrow("--image is required when using --forwarder fluent-bit (no default Fluent Bit image)");
    expect(() => planTap({ ...deployment(), kind: "Job" }, base)).toThrow('unsupported workload kind "Job"');
  });

  test("a session already tapped, or its container name taken, is refused (§22.3 step 13)", () => {
    const once = planTap(deployment(), base).workload;
    expect(() => planTap(once, base)).toThrow(`workload Deployment/web already tapped with session ${S1}`);
    const upstream = deployment({ annotations: { "logtap.dev/tapped": `${S2}` } });
    expect(() => planTap(upstream, { ...base, session: S2 })).toThrow(`workload Deployment/web already tapped with session ${S2}`);
    const clash = deployment();
    clash.spec.template.spec.containers.push({ name: `logtap-forwarder-${S1}`, image: "x" });
    expect(() => planTap(clash, base)).toThrow(`workload Deployment/web already has a container named logtap-forwarder-${S1}`);
  });

  test("a terminationGracePeriodSeconds too short for the preStop is noted (container mode only)", () => {
    expect(planTap(deployment({ spec: { terminationGracePeriodSeconds: 5 } }), base).notes[0]).toStartWith("terminationGracePeriodSeconds is 5");
    expect(planTap(deployment({ spec: { terminationGracePeriodSeconds: 5 } }), { ...base, mode: "native" }).notes).toEqual([]);
    expect(planTap(deployment({ spec: { terminationGracePeriodSeconds: 30 } }), base).notes).toEqual([]);
  });

  test("the default image is ours at this CLI's version; upstream's image (any tag or digest) gets no preStop and a note, untap still matches", () => {
    expect(DEFAULT_FORWARDER_IMAGE).toBe(`${FORWARDER_IMAGE_REPOSITORY}:${VERSION}`);
    for (const image of ["ghcr.io/ppiankov/logtap-forwarder:latest", "ghcr.io/ppiankov/logtap-forwarder@sha256:0123", "ghcr.io/ppiankov/logtap-forwarder"]) {
      const p = planTap(deployment({ spec: { terminationGracePeriodSeconds: 5 } }), { ...base, image });
      expect(p.after.spec.containers[1]!.lifecycle).toBeUndefined();
      expect(p.notes).toEqual([`${image} is upstream's forwarder, which cannot run the preStop hook: none added, so the sidecar may miss the app's last lines when a pod stops (--sidecar-mode native does not)`]);
      expect(planTap(deployment(), { ...base, image, mode: "native" }).notes).toEqual([]);
      const back = planUntap(p.workload, S1);
      expect(back.conflicts).toEqual([]);
      expect(back.after).toEqual(deployment({ spec: { terminationGracePeriodSeconds: 5 } }).spec.template);
    }
    // Our forwarder under another name (a mirror, a registry port that looks like a tag) keeps the hook.
    for (const image of ["registry.local:5000/logtap-forwarder", "mirror.example/ppiankov/logtap-forwarder:latest"]) {
      expect(planTap(deployment(), { ...base, image }).after.spec.containers[1]!.lifecycle).toEqual({ preStop: { exec: { command: [...PRESTOP_COMMAND] } } });
    }
  });

  test("a workload tapped with upstream's image when it still got the preStop (the old default) untaps without a conflict", () => {
    const p = planTap(deployment(), { ...base, image: "ghcr.io/ppiankov/logtap-forwarder:latest" });
    p.after.spec.containers[1]!.lifecycle = { preStop: { exec: { command: [...PRESTOP_COMMAND] } } };
    const back = planUntap(p.workload, S1);
    expect(back.conflicts).toEqual([]);
    expect(back.after).toEqual(deployment().spec.template);
  });
});

describe("annotations (§22.2)", () => {
  test("tapped and target set; the tapped list is appended to", () => {
    const one = planTap(deployment(), base);
    expect(one.after.metadata!.annotations).toMatchObject({ "logtap.dev/tapped": S1, "logtap.dev/target": "recv.example:3100" });
    const two = planTap(one.workload, { ...base, session: S2, target: "https://other:8443" });
    expect(two.after.metadata!.annotations).toMatchObject({ "logtap.dev/tapped": `${S1},${S2}`, "logtap.dev/target": "https://other:8443" });
  });

  test("Linkerd: skip-outbound-ports only when inject is enabled, merged into the existing list", () => {
    const on = planTap(deployment({ annotations: { "linkerd.io/inject": "enabled", "config.linkerd.io/skip-outbound-ports": "4567,4568" } }), base);
    expect(on.after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBe("4567,4568,3100");
    const fresh = planTap(deployment({ annotations: { "linkerd.io/inject": "enabled" } }), base);
    expect(fresh.after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBe("3100");
    const present = planTap(deployment({ annotations: { "linkerd.io/inject": "enabled", "config.linkerd.io/skip-outbound-ports": "25, 3100" } }), base);
    expect(present.after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBe("25, 3100");
    const off = planTap(deployment({ annotations: { "linkerd.io/inject": "disabled" } }), base);
    expect(off.after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBeUndefined();
    const nsWide = planTap(deployment(), { ...base, namespaceMeta: { annotations: { "linkerd.io/inject": "enabled" } } });
    expect(nsWide.after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBe("3100");
  });

  test("Istio: excludeOutboundPorts when inject is true or istio.io/rev is present", () => {
    const key = "traffic.sidecar.istio.io/excludeOutboundPorts";
    expect(planTap(deployment({ annotations: { "sidecar.istio.io/inject": "true" } }), base).after.metadata!.annotations![key]).toBe("3100");
    expect(planTap(deployment({ annotations: { "istio.io/rev": "canary", [key]: "9000" } }), base).after.metadata!.annotations![key]).toBe("9000,3100");
    expect(planTap(deployment({ annotations: { "sidecar.istio.io/inject": "false" } }), base).after.metadata!.annotations![key]).toBeUndefined();
    const labelled = deployment();
    labelled.spec.template.metadata!.labels!["sidecar.istio.io/inject"] = "true";
    expect(planTap(labelled, base).after.metadata!.annotations![key]).toBe("3100");
    expect(planTap(deployment(), { ...base, namespaceMeta: { labels: { "istio-injection": "enabled" } } }).after.metadata!.annotations![key]).toBe("3100");
  });

  test("no mesh bypass for a target without a port (a note says so); the URL form's port counts", () => {
    const meshed = deployment({ annotations: { "linkerd.io/inject": "enabled" } });
    const p = planTap(meshed, { ...base, target: "https://recv.example" });
    expect(p.after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBeUndefined();
    expect(p.notes).toContain("target https://recv.example has no port: no mesh bypass added (config.linkerd.io/skip-outbound-ports)");
    expect(planTap(meshed, { ...base, target: "https://recv.example:8443" }).after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBe("8443");
  });

  test("annotation keys tap adds go after the user's, whose order and values stay", () => {
    const p = planTap(deployment({ annotations: { z: "1", a: "2" } }), base);
    expect(Object.keys(p.after.metadata!.annotations!)).toEqual(["z", "a", "logtap.dev/tapped", "logtap.dev/target", "logtap.dev/tap-record"]);
  });
});

describe("--pin-images", () => {
  test("Always → IfNotPresent on app and init containers, the warning list names them, the record keeps the old policy", () => {
    const w = deployment({ spec: { initContainers: [{ name: "init", image: "i", imagePullPolicy: "Always" }] } });
    const c = w.spec.template.spec.containers;
    c[0]!.imagePullPolicy = "Always";
    c.push({ name: "side", image: "s", imagePullPolicy: "IfNotPresent" } as Container);
    expect(alwaysPullContainers(w.spec.template.spec)).toEqual(["app", "init"]);
    const p = planTap(w, { ...base, pinImages: true });
    expect(p.after.spec.containers.map((x) => x.imagePullPolicy)).toEqual(["IfNotPresent", "IfNotPresent", undefined]);
    expect(p.after.spec.initContainers![0]!.imagePullPolicy).toBe("IfNotPresent");
    expect(p.change.image_pull_policies).toEqual([
      { container: "app", before: "Always", after: "IfNotPresent" },
      { container: "init", before: "Always", after: "IfNotPresent" },
    ]);
    expect(parseRecord(p.after.metadata!.annotations!["logtap.dev/tap-record"]!).pulls).toEqual({ app: "Always", init: "Always" });
    expect(planTap(w, base).change.image_pull_policies).toEqual([]);
  });

  test("§22.3 step 12's warning, with and without --pin-images", () => {
    const w = deployment({ spec: { initContainers: [{ name: "init", image: "i", imagePullPolicy: "Always" }] } });
    w.spec.template.spec.containers[0]!.imagePullPolicy = "Always";
    expect(pullPolicyWarning("Deployment/web", w.spec.template.spec, false)).toEqual([
      "Warning: Deployment/web has imagePullPolicy: Always on [app init]",
      "  Rollout may fail if the image registry is unreachable from the new node.",
      "  Use --pin-images to set IfNotPresent during tap.",
    ]);
    expect(pullPolicyWarning("Deployment/web", w.spec.template.spec, true)).toEqual([
      "Warning: Deployment/web has imagePullPolicy: Always on [app init]",
      "  --pin-images: will set IfNotPresent during tap.",
    ]);
    expect(pullPolicyWarning("Deployment/web", deployment().spec.template.spec, false)).toEqual([]);
  });
});
