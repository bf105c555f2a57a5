/**
 * The pure parts of pods that run programs: image patterns, Kubernetes' command/args rules and `$(VAR)`
 * expansion, image paths made local, and the environment's fieldRefs and resourceFieldRefs.
 */

import { describe, expect, test } from "bun:test";
import { containerArgv, expandVars, localArgv } from "./program-command.ts";
import { ImageMap, imagePatternMatcher } from "./program-images.ts";
import { ContainerConfigError, containerEnv, podField } from "./program-env.ts";
import { MemoryStore } from "../store.ts";

describe("image patterns", () => {
  test("* matches any run of characters, slashes and colons included; the latest mapping wins", () => {
    const m = imagePatternMatcher("ghcr.io/logtap/logtap-forwarder:*");
    expect(m("ghcr.io/logtap/logtap-forwarder:latest")).toBe(true);
    expect(m("ghcr.io/logtap/logtap-forwarder:v1.2@sha256:abc")).toBe(true);
    expect(m("ghcr.io/ppiankov/logtap:latest")).toBe(false);
    expect(imagePatternMatcher("*/logtap:*")("docker.io/x/logtap:1")).toBe(true);
    const images = new ImageMap();
    images.map("*", { command: ["a"] });
    images.map("app:*", { command: ["b"] });
    expect(images.programFor({ image: "app:1" }, {} as any)?.command).toEqual(["b"]);
    expect(images.programFor({ image: "other:1" }, {} as any)?.command).toEqual(["a"]);
    expect(() => images.map("x", { command: [] })).toThrow("command must name the program");
  });
});

describe("command and args", () => {
  const program = { command: ["/bin/entry"], args: ["--default"] };
  test("follow the Kubernetes rules", () => {
    expect(containerArgv(program, {}, {})).toEqual(["/bin/entry", "--default"]);
    expect(containerArgv(program, { args: ["--mine"] }, {})).toEqual(["/bin/entry", "--mine"]);
    expect(containerArgv(program, { command: ["sh", "-c"] }, {})).toEqual(["sh", "-c"]);
    expect(containerArgv(program, { command: ["sh"], args: ["-c", "x"] }, {})).toEqual(["sh", "-c", "x"]);
  });

  test("$(VAR) is expanded from the container's variables; unknown ones stay; $$ is a literal $", () => {
    const env = { A: "1", B: "two" };
    expect(expandVars("$(A)-$(B)", env)).toBe("1-two");
    expect(expandVars("$(NOPE) $$(A) $A $", env)).toBe("$(NOPE) $(A) $A $");
    expect(expandVars("$(A", env)).toBe("$(A");
    expect(containerArgv(program, { args: ["--n=$(A)"] }, env)).toEqual(["/bin/entry", "--n=1"]);
  });

  test("an image path the pod spec names runs the local program", () => {
    const forwarder = { command: ["dist/logtap-forwarder"], cwd: "/repo" };
    expect(localArgv(forwarder, ["/logtap-forwarder", "sleep", "5"])).toEqual(["/repo/dist/logtap-forwarder", "sleep", "5"]);
    expect(localArgv(forwarder, ["sh", "-c", "sleep 5"])).toEqual(["sh", "-c", "sleep 5"]);
    expect(localArgv(forwarder, ["/bin/sh", "-c", "x"])).toEqual(["/bin/sh", "-c", "x"]);
    expect(localArgv({ command: ["bun", "x.ts"], paths: { "/app": ["bun", "app.ts"] } }, ["/app", "serve"])).toEqual(["bun", "app.ts", "serve"]);
  });
});

describe("the environment", () => {
  const pod: any = {
    metadata: { name: "p", namespace: "ns", uid: "u1", labels: { app: "web" }, annotations: { "a/b": "c" } },
    spec: { nodeName: "n1", serviceAccountName: "sa" },
    status: { podIP: "127.1.2.3", podIPs: [{ ip: "127.1.2.3" }], hostIP: "10.0.0.11", hostIPs: [{ ip: "10.0.0.11" }] },
  };
  test("fieldRefs read the pod's fields", () => {
    expect(["metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels['app']", "metadata.annotations['a/b']", "spec.nodeName", "spec.serviceAccountName", "status.podIP", "status.podIPs", "status.hostIP"].map((f) => podField(pod, f))).toEqual(["p", "ns", "u1", "web", "c", "n1", "sa", "127.1.2.3", "127.1.2.3", "10.0.0.11"]);
    expect(() => podField(pod, "spec.nope")).toThrow(ContainerConfigError);
  });

  test("resourceFieldRef: the limit divided and rounded up, the node's allocatable without one", () => {
    const store = new MemoryStore();
    const container = { resources: { limits: { memory: "64Mi", cpu: "250m" } }, env: [
      { name: "MEM", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
      { name: "CPU", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
      { name: "EPH", valueFrom: { resourceFieldRef: { resource: "limits.ephemeral-storage", divisor: "1Gi" } } },
    ] };
    expect(containerEnv({ store, pod, container, base: {} })).toEqual({ MEM: "64", CPU: "1", EPH: "100" });
  });

  test("a missing ConfigMap key is the kubelet's message; optional ones are skipped", () => {
    const store = new MemoryStore();
    store.create(store.mustType("", "namespaces"), { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns" } });
    store.create(store.mustType("", "configmaps"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "ns" }, data: { a: "1" } } as any);
    const env = (e: any[]) => containerEnv({ store, pod, container: { env: e }, base: {} });
    expect(() => env([{ name: "X", valueFrom: { configMapKeyRef: { name: "cm", key: "b" } } }])).toThrow("couldn't find key b in ConfigMap ns/cm");
    expect(() => env([{ name: "X", valueFrom: { configMapKeyRef: { name: "none", key: "b" } } }])).toThrow('configmap "none" not found');
    expect(env([{ name: "X", valueFrom: { configMapKeyRef: { name: "none", key: "b", optional: true } } }, { name: "Y", valueFrom: { configMapKeyRef: { name: "cm", key: "a" } } }])).toEqual({ Y: "1" });
  });
});
