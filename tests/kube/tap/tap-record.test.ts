/** The tap record's format (docs/kubernetes.md shows the same example) and its validation. */

import { describe, expect, test } from "bun:test";
import { DEFAULT_FORWARDER_IMAGE } from "../../../src/kube/images.ts";
import { planTap } from "../../../src/kube/tap/plan-tap.ts";
import { parseRecord, serializeRecord } from "../../../src/kube/tap/tap-record.ts";
import { deployment, S1, S2 } from "./fixtures.ts";

describe("the tap record", () => {
  test("what two sessions over a meshed template with a pinned container write down", () => {
    const w = deployment({ annotations: { "linkerd.io/inject": "enabled", "config.linkerd.io/skip-outbound-ports": "25", "logtap.dev/target": "mine:1" } });
    w.spec.template.spec.containers[0]!.imagePullPolicy = "Always";
    const one = planTap(w, { session: S1, target: "recv:3100", mode: "native", pinImages: true }).workload;
    const two = planTap(one, { session: S2, target: "https://recv2", mode: "container", forwarder: "fluent-bit", image: "fluent/fluent-bit:3.2", memory: "64Mi" }).workload;
    const text = two.spec.template.metadata!.annotations!["logtap.dev/tap-record"]!;
    expect(JSON.parse(text)).toEqual({
      v: 1,
      sessions: [
        {
          session: S1, target: "recv:3100", forwarder: "logtap", image: DEFAULT_FORWARDER_IMAGE, memory: "80Mi", cpu: "100m", mode: "native",
          container: `logtap-forwarder-${S1}`, list: "initContainers", volumes: [], configMap: null, pinImages: true,
          set: { "logtap.dev/target": "recv:3100" },
          items: { "logtap.dev/tapped": S1, "config.linkerd.io/skip-outbound-ports": "3100" },
        },
        {
          session: S2, target: "https://recv2", forwarder: "fluent-bit", image: "fluent/fluent-bit:3.2", memory: "64Mi", cpu: "100m", mode: "container",
          container: `logtap-forwarder-${S2}`, list: "containers", volumes: [`logtap-fb-config-${S2}`, `logtap-fb-varlog-${S2}`], configMap: `logtap-fb-${S2}`, pinImages: false,
          set: { "logtap.dev/target": "https://recv2", "logtap.dev/forwarder": "fluent-bit" },
          items: { "logtap.dev/tapped": S2 },
        },
      ],
      annotations: {
        "logtap.dev/tapped": { before: null, added: [S1, S2] },
        "logtap.dev/target": { before: "mine:1" },
        "config.linkerd.io/skip-outbound-ports": { before: "25", added: ["3100"] },
        "logtap.dev/forwarder": { before: null },
      },
      pulls: { app: "Always" },
      created: ["spec.initContainers", "spec.volumes"],
    });
    expect(serializeRecord(parseRecord(text))).toBe(text);
  });

  test("validation names what is wrong", () => {
    const good = JSON.parse(planTap(deployment(), { session: S1, target: "r:1", mode: "container" }).workload.spec.template.metadata!.annotations!["logtap.dev/tap-record"]!);
    const bad = (mutate: (r: any) => void) => {
      const r = structuredClone(good);
      mutate(r);
      return () => parseRecord(JSON.stringify(r));
    };
    expect(() => parseRecord("[]")).toThrow("not a JSON object");
    expect(bad((r) => (r.v = 2))).toThrow("format version 2 is not 1 (written by another logtap version)");
    expect(bad((r) => (r.sessions[0].session = "x"))).toThrow("sessions[0].session is not a session id");
    expect(bad((r) => (r.sessions[0].mode = "auto"))).toThrow("sessions[0].mode is unknown");
    expect(bad((r) => (r.annotations.k = { before: 1 }))).toThrow('annotations["k"] is not {before, added?}');
    expect(bad((r) => (r.created = ["spec.containers"]))).toThrow("created is not a list of known paths");
    expect(bad((r) => (r.pulls = { a: 1 }))).toThrow("pulls is not a string map");
  });
});
