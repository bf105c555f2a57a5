/** The small §22 rules: session ids, the production-namespace test, the native-sidecar version gate. */

import { describe, expect, test } from "bun:test";
import { isProductionNamespace, productionLabel, productionRefusal } from "../../../src/kube/tap/production-namespace.ts";
import { isSessionId, newSessionId } from "../../../src/kube/tap/session-id.ts";
import { parseKubeVersion, resolveSidecarMode, sidecarModeProblem } from "../../../src/kube/tap/sidecar-mode.ts";

describe("session ids (§22.2)", () => {
  test("lt- and 16 lowercase hex characters from 8 random bytes", () => {
    expect(newSessionId((b) => b.set([0x9f, 0x2c, 0x4d, 0x1e, 0x8a, 0x7b, 0x6c, 0x50]))).toBe("lt-9f2c4d1e8a7b6c50");
    expect(newSessionId((b) => b.fill(0))).toBe("lt-0000000000000000");
    const ids = new Set(Array.from({ length: 200 }, () => newSessionId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(isSessionId(id), id).toBe(true);
  });

  test("isSessionId refuses anything else", () => {
    for (const s of ["lt-9F2C4D1E8A7B6C50", "lt-9f2c4d1e8a7b6c5", "lt-9f2c4d1e8a7b6c500", "xx-9f2c4d1e8a7b6c50", "lt-9f2c4d1e8a7b6c5g", "", "all"]) expect(isSessionId(s), s).toBe(false);
  });
});

describe("production namespaces (§22.2)", () => {
  test("env or environment prod/production, or logtap.dev/prod=true", () => {
    expect(productionLabel({ env: "prod" })).toBe("env=prod");
    expect(productionLabel({ environment: "production" })).toBe("environment=production");
    expect(productionLabel({ "logtap.dev/prod": "true" })).toBe("logtap.dev/prod=true");
    expect(isProductionNamespace({ env: "Production" })).toBe(true);
    for (const labels of [undefined, null, {}, { env: "staging" }, { environment: "prod-like" }, { "logtap.dev/prod": "false" }, { stage: "prod" }] as (Record<string, string> | null | undefined)[]) {
      expect(isProductionNamespace(labels), JSON.stringify(labels)).toBe(false);
    }
    expect(productionRefusal("payments")).toBe('namespace "payments" appears to be production (use --allow-prod to override)');
  });
});

describe("--sidecar-mode auto", () => {
  test("reads the version forms clusters report", () => {
    expect(parseKubeVersion("v1.29.3")).toEqual([1, 29]);
    expect(parseKubeVersion("v1.30.1-eks-1234abc")).toEqual([1, 30]);
    expect(parseKubeVersion("1.28.15-gke.100")).toEqual([1, 28]);
    expect(parseKubeVersion("v1.31.0+k3s1")).toEqual([1, 31]);
    expect(parseKubeVersion({ major: "1", minor: "29+", gitVersion: "v1.29.8-eks-a737599" })).toEqual([1, 29]);
    expect(parseKubeVersion({ major: "1", minor: "27+" })).toEqual([1, 27]);
    expect(parseKubeVersion("banana")).toBeNull();
    expect(parseKubeVersion("v1")).toBeNull();
    expect(parseKubeVersion("v1.29x")).toBeNull();
  });

  test("native only when the API server and every kubelet are 1.29 or newer", () => {
    expect(resolveSidecarMode("v1.29.0", ["v1.29.0", "v1.30.2"]).mode).toBe("native");
    expect(resolveSidecarMode({ gitVersion: "v1.33.1" }, ["v1.33.1"]).mode).toBe("native");
    expect(resolveSidecarMode("v2.0.0", ["v2.1.0"]).mode).toBe("native");
    const old = resolveSidecarMode("v1.30.0", ["v1.30.0", "v1.28.9"]);
    expect(old).toEqual({ mode: "container", reason: "kubelet v1.28.9 is older than 1.29 (or unreadable)" });
    expect(resolveSidecarMode("v1.28.3", ["v1.29.0"])).toEqual({ mode: "container", reason: "API server 1.28 is older than 1.29" });
    expect(resolveSidecarMode(undefined, ["v1.30.0"]).mode).toBe("container");
    expect(resolveSidecarMode("v1.30.0", null)).toEqual({ mode: "container", reason: "node kubelet versions unknown (cannot list nodes)" });
    expect(resolveSidecarMode("v1.30.0", []).mode).toBe("container");
    expect(resolveSidecarMode("v1.30.0", ["garbage"]).mode).toBe("container");
  });

  test("the flag's values", () => {
    for (const v of ["auto", "native", "container"]) expect(sidecarModeProblem(v)).toBeNull();
    expect(sidecarModeProblem("sidecar")).toBe('--sidecar-mode must be "auto", "native" or "container"');
  });
});
