/** planUntap: §22.5's errors, what it puts back, and what it does when someone changed the template in between. */

import { describe, expect, test } from "bun:test";
import { planTap, type TapOptions } from "../../../src/kube/tap/plan-tap.ts";
import { planUntap, tappedSessions } from "../../../src/kube/tap/plan-untap.ts";
import type { Workload } from "../../../src/kube/tap/workload.ts";
import { deployment, S1, S2 } from "./fixtures.ts";

const base: TapOptions = { session: S1, target: "recv.example:3100", mode: "container" };
const tap = (w: Workload, o: Partial<TapOptions> = {}) => planTap(w, { ...base, ...o }).workload;

describe("errors (§22.5)", () => {
  test("not tapped; session not listed", () => {
    expect(() => planUntap(deployment(), S1)).toThrow("workload Deployment/web is not tapped");
    expect(() => planUntap(deployment({ annotations: { "logtap.dev/tapped": "" } }), "all")).toThrow("workload Deployment/web is not tapped");
    expect(() => planUntap(tap(deployment()), S2)).toThrow(`session ${S2} not found in Deployment/web (tapped: ${S1})`);
  });
});

describe("what comes back", () => {
  test("the record, the annotations map tap created, and template key order", () => {
    const w = deployment();
    const u = planUntap(tap(w), S1);
    expect(u.after.metadata).toEqual({ labels: { app: "web" } });
    expect(JSON.stringify(u.workload)).toBe(JSON.stringify(w));
  });

  test("an annotations map the user had (even empty) stays", () => {
    const w = deployment({ annotations: {} });
    expect(JSON.stringify(planUntap(tap(w), S1).workload)).toBe(JSON.stringify(w));
  });

  test("a user's own logtap.dev/target and mesh lists come back exactly (upstream deleted the mesh keys)", () => {
    const w = deployment({
      annotations: {
        "logtap.dev/target": "user-set:1234",
        "linkerd.io/inject": "enabled",
        "config.linkerd.io/skip-outbound-ports": "25, 587",
        "traffic.sidecar.istio.io/excludeOutboundPorts": "3100",
        "sidecar.istio.io/inject": "true",
      },
    });
    const t = planTap(w, base);
    expect(t.after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBe("25, 587,3100");
    // The user already excluded 3100 from Istio: that item is theirs, tap adds nothing and untap removes nothing.
    expect(t.after.metadata!.annotations!["traffic.sidecar.istio.io/excludeOutboundPorts"]).toBe("3100");
    const u = planUntap(t.workload, S1);
    expect(u.conflicts).toEqual([]);
    expect(JSON.stringify(u.workload)).toBe(JSON.stringify(w));
  });

  test("one of two sessions out: the other's target, port and sidecar stay", () => {
    const w = deployment({ annotations: { "linkerd.io/inject": "enabled" } });
    const both = tap(tap(w), { session: S2, target: "recv2:4000", mode: "native" });
    const u = planUntap(both, S2);
    expect(u.after.metadata!.annotations).toMatchObject({ "logtap.dev/tapped": S1, "logtap.dev/target": "recv.example:3100", "config.linkerd.io/skip-outbound-ports": "3100" });
    expect(u.after.spec.initContainers).toBeUndefined();
    expect(u.after.spec.containers.map((c) => c.name)).toEqual(["app", `logtap-forwarder-${S1}`]);
    expect(tappedSessions(u.after)).toEqual({ record: [S1], upstream: [], recordError: null });
  });

  test("pinned policies come back when the last session that pinned goes", () => {
    const w = deployment();
    w.spec.template.spec.containers[0]!.imagePullPolicy = "Always";
    const both = tap(tap(w, { pinImages: true }), { session: S2 });
    const afterS1 = planUntap(both, S1);
    expect(afterS1.after.spec.containers[0]!.imagePullPolicy).toBe("Always");
    expect(afterS1.change.image_pull_policies).toEqual([{ container: "app", before: "IfNotPresent", after: "Always" }]);
    const pinBoth = tap(tap(w, { pinImages: true }), { session: S2, pinImages: true });
    expect(planUntap(pinBoth, S1).after.spec.containers[0]!.imagePullPolicy).toBe("IfNotPresent");
    expect(planUntap(planUntap(pinBoth, S1).workload, S2).workload).toEqual(w);
  });
});

describe("changes made between tap and untap", () => {
  test("the user's edit of an app container is kept, and is no conflict", () => {
    const tapped = tap(deployment());
    tapped.spec.template.spec.containers[0]!.env = [{ name: "DEBUG", value: "1" }];
    const u = planUntap(tapped, S1);
    expect(u.conflicts).toEqual([]);
    const expected = deployment();
    expected.spec.template.spec.containers[0]!.env = [{ name: "DEBUG", value: "1" }];
    expect(u.workload).toEqual(expected);
  });

  test("a user's own annotation added meanwhile stays, and so does the map it is in", () => {
    const tapped = tap(deployment());
    tapped.spec.template.metadata!.annotations!["kubectl.kubernetes.io/restartedAt"] = "2025-01-15T10:00:00Z";
    const u = planUntap(tapped, S1);
    expect(u.after.metadata!.annotations).toEqual({ "kubectl.kubernetes.io/restartedAt": "2025-01-15T10:00:00Z" });
    expect(u.conflicts).toEqual([]);
  });

  test("a changed sidecar is still removed, with a conflict naming the field", () => {
    const tapped = tap(deployment());
    (tapped.spec.template.spec.containers[1]!.resources as any).limits.memory = "256Mi";
    const u = planUntap(tapped, S1);
    expect(u.after.spec.containers.map((c) => c.name)).toEqual(["app"]);
    expect(u.conflicts).toEqual([`container logtap-forwarder-${S1} was changed since tap (resources.limits.memory): removed it anyway`]);
  });

  test("a sidecar someone already removed is reported, the rest is undone", () => {
    const tapped = tap(deployment());
    tapped.spec.template.spec.containers.pop();
    const u = planUntap(tapped, S1);
    expect(u.conflicts).toEqual([`container logtap-forwarder-${S1} was already removed`]);
    expect(u.workload).toEqual(deployment());
  });

  test("an annotation tap set and the user changed: the user's value is kept", () => {
    const tapped = tap(deployment());
    tapped.spec.template.metadata!.annotations!["logtap.dev/target"] = "mine:1";
    const u = planUntap(tapped, S1);
    expect(u.after.metadata!.annotations).toEqual({ "logtap.dev/target": "mine:1" });
    expect(u.conflicts).toEqual(['annotation logtap.dev/target was changed since tap ("mine:1", tap wrote "recv.example:3100"): kept it']);
  });

  test("a mesh list the user extended: only tap's port is taken out", () => {
    const w = deployment({ annotations: { "linkerd.io/inject": "enabled", "config.linkerd.io/skip-outbound-ports": "25" } });
    const tapped = tap(w);
    tapped.spec.template.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"] += ",9999";
    const u = planUntap(tapped, S1);
    expect(u.after.metadata!.annotations!["config.linkerd.io/skip-outbound-ports"]).toBe("25,9999");
    expect(u.conflicts).toEqual(['annotation config.linkerd.io/skip-outbound-ports was changed since tap ("25,9999", was "25"): removed only logtap\'s items']);
  });

  test("a pinned policy the user changed again is kept", () => {
    const w = deployment();
    w.spec.template.spec.containers[0]!.imagePullPolicy = "Always";
    const tapped = tap(w, { pinImages: true });
    tapped.spec.template.spec.containers[0]!.imagePullPolicy = "Never";
    const u = planUntap(tapped, S1);
    expect(u.after.spec.containers[0]!.imagePullPolicy).toBe("Never");
    expect(u.conflicts).toEqual(["container app imagePullPolicy was changed since tap (Never): kept it"]);
  });

  test("a user's change between two taps becomes the value untap returns to", () => {
    const once = tap(deployment());
    once.spec.template.metadata!.annotations!["logtap.dev/target"] = "mine:1";
    const twice = tap(once, { session: S2, target: "recv2:2" });
    const back = planUntap(planUntap(twice, S2).workload, S1);
    expect(back.after.metadata!.annotations).toEqual({ "logtap.dev/target": "mine:1" });
    expect(back.conflicts).toEqual([]);
  });
});

describe("an unreadable record", () => {
  test("tap refuses to build on it; untap falls back to upstream's rules and clears it", () => {
    const tapped = tap(deployment());
    tapped.spec.template.metadata!.annotations!["logtap.dev/tap-record"] = "{broken";
    expect(() => planTap(tapped, { ...base, session: S2 })).toThrow("workload Deployment/web: logtap.dev/tap-record is unreadable: not JSON");
    const u = planUntap(tapped, S1);
    expect(u.removed).toEqual([{ session: S1, by: "upstream" }]);
    expect(u.conflicts[0]).toStartWith("logtap.dev/tap-record is unreadable: not JSON");
    expect(u.workload).toEqual(deployment());
  });

  test("a record from a newer format is refused, not half understood", () => {
    const tapped = tap(deployment());
    tapped.spec.template.metadata!.annotations!["logtap.dev/tap-record"] = JSON.stringify({ v: 2 });
    expect(() => planTap(tapped, { ...base, session: S2 })).toThrow("format version 2 is not 1");
  });
});
