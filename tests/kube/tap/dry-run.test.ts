/** `--dry-run`: a unified diff of the pod template as YAML whose `+` lines are Appendix A.9's, and the JSON form. */

import { describe, expect, test } from "bun:test";
import { DEFAULT_FORWARDER_IMAGE } from "../../../src/kube/images.ts";
import { tapDiff, tapJson, untapDiff, untapJson } from "../../../src/kube/tap/dry-run.ts";
import { planTap } from "../../../src/kube/tap/plan-tap.ts";
import { planUntap } from "../../../src/kube/tap/plan-untap.ts";
import { deployment, S1 } from "./fixtures.ts";

const opts = { session: S1, target: "recv.example:3100", mode: "container" as const };

/** Appendix A.9's lines, minus the preStop command (ours execs the forwarder; upstream's ran `sh`, which the image lacks) and with our image. */
const A9_LINES = `+      annotations:
+        logtap.dev/tapped: lt-9f2c4d1e8a7b6c50
+        logtap.dev/target: recv.example:3100
+      - env:
+        - name: LOGTAP_TARGET
+          value: recv.example:3100
+        - name: LOGTAP_SESSION
+          value: lt-9f2c4d1e8a7b6c50
+        - name: LOGTAP_POD_NAME
+          valueFrom:
+            fieldRef:
+              fieldPath: metadata.name
+        - name: LOGTAP_NAMESPACE
+          valueFrom:
+            fieldRef:
+              fieldPath: metadata.namespace
+        image: ${DEFAULT_FORWARDER_IMAGE}
+        lifecycle:
+          preStop:
+            exec:
+              command:
+        livenessProbe:
+          httpGet:
+            path: /healthz
+            port: 9091
+          initialDelaySeconds: 5
+          periodSeconds: 10
+        name: logtap-forwarder-lt-9f2c4d1e8a7b6c50
+        resources:
+          limits:
+            cpu: 200m
+            memory: 160Mi
+          requests:
+            cpu: 100m
+            memory: 80Mi`.split("\n");

describe("tap --dry-run", () => {
  test("A.9's + lines, in order, in one hunk with context; headers name the workload", () => {
    const diff = tapDiff(planTap(deployment(), opts));
    const lines = diff.split("\n");
    expect(lines[0]).toBe("--- default/Deployment/web spec.template (current)");
    expect(lines[1]).toBe(`+++ default/Deployment/web spec.template (tapped, session ${S1})`);
    expect(lines[2]).toMatch(/^@@ -1,\d+ \+1,\d+ @@$/);
    const added = lines.filter((l) => l.startsWith("+") && !l.startsWith("+++"));
    let at = 0;
    for (const want of A9_LINES) {
      const i = added.indexOf(want, at);
      expect(i, want).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
    expect(added).toContain("+              - /logtap-forwarder");
    expect(added).toContain('+              - "5"');
    expect(added.some((l) => l.startsWith("+        logtap.dev/tap-record: '{\"v\":1,"))).toBe(true);
    expect(lines).toContain(" spec:");
    expect(lines).toContain("       - image: nginx:1.27");
    expect(lines.filter((l) => l.startsWith("-") && !l.startsWith("---"))).toEqual([]);
    expect(diff.endsWith("\n")).toBe(true);
  });

  test("a real diff, not a set difference: a line that already exists elsewhere is still shown where it is added", () => {
    const w = deployment();
    w.spec.template.spec.containers[0]!.livenessProbe = { httpGet: { path: "/healthz", port: 9091 }, initialDelaySeconds: 5, periodSeconds: 10 };
    const added = tapDiff(planTap(w, opts)).split("\n").filter((l) => l.startsWith("+"));
    // Upstream's set difference drops these lines, since the app container already has them.
    expect(added).toContain("+          httpGet:");
    expect(added).toContain("+            path: /healthz");
  });

  test("pinning shows as a - and a + line on the container", () => {
    const w = deployment();
    w.spec.template.spec.containers[0]!.imagePullPolicy = "Always";
    const diff = tapDiff(planTap(w, { ...opts, pinImages: true }));
    expect(diff).toContain("\n-        imagePullPolicy: Always\n+        imagePullPolicy: IfNotPresent\n");
  });

  test("--json: the change as data", () => {
    const j = tapJson(planTap(deployment(), { ...opts, mode: "native" }));
    expect(j.workload).toEqual({ kind: "Deployment", name: "web", namespace: "default" });
    expect(j.session).toBe(S1);
    expect(j.sidecar).toEqual({ name: `logtap-forwarder-${S1}`, list: "initContainers" });
    expect(j.containers).toEqual({ added: [{ name: `logtap-forwarder-${S1}`, list: "initContainers" }], removed: [] });
    expect(j.volumes).toEqual({ added: [], removed: [] });
    expect(j.annotations.map((a) => [a.key, a.before, a.key === "logtap.dev/tap-record" ? "…" : a.after])).toEqual([
      ["logtap.dev/tapped", null, S1],
      ["logtap.dev/target", null, "recv.example:3100"],
      ["logtap.dev/tap-record", null, "…"],
    ]);
    expect(j.image_pull_policies).toEqual([]);
    expect(j.config_maps).toEqual({ create: [], delete: [] });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});

describe("untap --dry-run", () => {
  test("the mirror image: every added line comes out", () => {
    const tapped = planTap(deployment(), opts);
    const u = planUntap(tapped.workload, S1);
    const diff = untapDiff(u);
    expect(diff.split("\n")[1]).toBe(`+++ default/Deployment/web spec.template (untapped, session ${S1})`);
    const removedLines = diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---")).map((l) => l.slice(1));
    const addedLines = tapDiff(tapped).split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++")).map((l) => l.slice(1));
    expect(removedLines).toEqual(addedLines);
    const j = untapJson(u);
    expect(j.removed).toEqual([{ session: S1, by: "record" }]);
    expect(j.containers.removed).toEqual([{ name: `logtap-forwarder-${S1}`, list: "containers" }]);
    expect(j.annotations.every((a) => a.after === null)).toBe(true);
    expect(j.conflicts).toEqual([]);
  });
});
