import { describe, expect, test } from "bun:test";
import { FollowTargetError, parseFollowTarget } from "../../../src/kube/follow/follow-target.ts";
import { matches, parseSelector, requirementsOf, selectorText, SelectorSyntaxError } from "../../../src/kube/follow/label-selector.ts";

describe("--follow values", () => {
  test("kind/name with kubectl's names, short names and plurals", () => {
    for (const [text, kind] of [
      ["deployment/api-gateway", "Deployment"],
      ["deploy/api-gateway", "Deployment"],
      ["deployments.apps/api-gateway", "Deployment"],
      ["sts/db", "StatefulSet"],
      ["statefulset/db", "StatefulSet"],
      ["ds/agent", "DaemonSet"],
      ["job/migrate-1", "Job"],
      ["pod/web-0", "Pod"],
      ["po/web-0", "Pod"],
    ] as const) {
      expect(parseFollowTarget(text)).toMatchObject({ type: "workload", kind, name: text.split("/")[1] });
    }
  });

  test("label selectors", () => {
    expect(parseFollowTarget("app=worker")).toEqual({ type: "selector", text: "app=worker", requirements: [{ key: "app", op: "=", values: ["worker"] }] });
    expect(parseFollowTarget("app.kubernetes.io/name=api,tier in (web, api),!canary").type).toBe("selector");
  });

  test("refused before any cluster call, each with what is wrong", () => {
    const cases: [string, string][] = [
      ["", "expected kind/name"],
      ["api-gateway", "expected kind/name"],
      ["service/api", 'unknown kind "service"'],
      ["deployment/", "is not a valid Deployment name"],
      ["deployment/API", "is not a valid Deployment name"],
      ["app=", ""],
      ["=worker", "invalid label key"],
      ["app=has space", "invalid label value"],
      ["app=a,,b=c", "empty requirement"],
      ["tier in (web", "invalid label key"],
      ["replicas>2", "not supported"],
    ];
    for (const [text, why] of cases) {
      if (why === "") {
        expect(parseFollowTarget(text).type).toBe("selector");
        continue;
      }
      let err: unknown;
      try {
        parseFollowTarget(text);
      } catch (e) {
        err = e;
      }
      expect({ text, err: err instanceof FollowTargetError, msg: (err as Error)?.message.includes(why) }).toEqual({ text, err: true, msg: true });
    }
  });
});

describe("label selectors", () => {
  test("every operator matches as apimachinery's do", () => {
    const reqs = parseSelector("app=web,env!=prod,tier in (a,b),zone notin (x),team,!canary");
    expect(matches(reqs, { app: "web", tier: "a", team: "t", zone: "y" })).toBe(true);
    expect(matches(reqs, { app: "web", tier: "a", team: "t", env: "prod" })).toBe(false);
    expect(matches(reqs, { app: "web", tier: "c", team: "t" })).toBe(false);
    expect(matches(reqs, { app: "web", tier: "a", team: "t", zone: "x" })).toBe(false);
    expect(matches(reqs, { app: "web", tier: "a" })).toBe(false);
    expect(matches(reqs, { app: "web", tier: "a", team: "t", canary: "1" })).toBe(false);
    expect(selectorText(reqs)).toBe("app=web,env!=prod,tier in (a,b),zone notin (x),team,!canary");
    expect(selectorText(parseSelector("a==b"))).toBe("a=b");
    expect(() => parseSelector("")).toThrow(SelectorSyntaxError);
  });

  test("a workload's spec.selector", () => {
    const reqs = requirementsOf({ matchLabels: { app: "api" }, matchExpressions: [{ key: "tier", operator: "In", values: ["web"] }, { key: "old", operator: "DoesNotExist" }] });
    expect(selectorText(reqs)).toBe("app=api,tier in (web),!old");
    expect(matches(reqs, { app: "api", tier: "web" })).toBe(true);
  });
});
