// Field selectors: grammar from apimachinery pkg/fields/selector.go (ParseSelector, splitTerms, splitTerm,
// UnescapeValue), accepted labels from k8s pkg/apis/core/v1/conversion.go and runtime.DefaultMetaV1FieldSelectorConversion,
// field values from the registries' ToSelectableFields (pkg/registry/core/pod/strategy.go and friends).
import { describe, expect, test } from "bun:test";
import { KubeStatusError } from "../patch/status-error.ts";
import { parseFieldSelector } from "./field-selector.ts";

function message(text: string, resource: string): string {
  try {
    parseFieldSelector(text, resource);
  } catch (e) {
    expect(e).toBeInstanceOf(KubeStatusError);
    expect((e as KubeStatusError).code).toBe(400);
    expect((e as KubeStatusError).reason).toBe("BadRequest");
    return (e as KubeStatusError).message;
  }
  return "no error";
}

const pod = {
  metadata: { name: "web-1", namespace: "default" },
  spec: { nodeName: "node-a", restartPolicy: "Always", schedulerName: "default-scheduler", serviceAccountName: "default" },
  status: { phase: "Running", podIP: "10.0.0.5", podIPs: [{ ip: "10.0.0.5" }, { ip: "fd00::5" }] },
};

describe("parseFieldSelector: pods", () => {
  test("=, == and != on the pod's selectable fields, comma is AND", () => {
    expect(parseFieldSelector("spec.nodeName=node-a", "pods")(pod)).toBe(true);
    expect(parseFieldSelector("spec.nodeName==node-a,status.phase=Running", "pods")(pod)).toBe(true);
    expect(parseFieldSelector("status.phase!=Running", "pods")(pod)).toBe(false);
    expect(parseFieldSelector("status.phase!=Pending,metadata.name=web-1,metadata.namespace=default", "pods")(pod)).toBe(true);
    expect(parseFieldSelector("status.podIP=10.0.0.5", "pods")(pod)).toBe(true);
    expect(parseFieldSelector("spec.restartPolicy=Always,spec.schedulerName=default-scheduler,spec.serviceAccountName=default", "pods")(pod)).toBe(true);
  });
  test("an unset field is the empty string: spec.nodeName= selects unscheduled pods", () => {
    const pending = { metadata: { name: "p", namespace: "default" }, spec: {}, status: { phase: "Pending" } };
    expect(parseFieldSelector("spec.nodeName=", "pods")(pending)).toBe(true);
    expect(parseFieldSelector("spec.nodeName=", "pods")(pod)).toBe(false);
    expect(parseFieldSelector("status.nominatedNodeName=", "pods")(pod)).toBe(true);
  });
  test("spec.hostNetwork is \"false\" unless set", () => {
    expect(parseFieldSelector("spec.hostNetwork=false", "pods")(pod)).toBe(true);
    expect(parseFieldSelector("spec.hostNetwork=true", "pods")({ ...pod, spec: { ...pod.spec, hostNetwork: true } })).toBe(true);
  });
  test("spec.host is the old name of spec.nodeName", () => {
    const m = parseFieldSelector("spec.host=node-a", "pods");
    expect(m.terms).toEqual([{ field: "spec.nodeName", operator: "=", value: "node-a" }]);
    expect(m(pod)).toBe(true);
  });
  test("status.podIPs is accepted but not a selectable field, so it only ever equals \"\"", () => {
    expect(parseFieldSelector("status.podIPs=10.0.0.5", "pods")(pod)).toBe(false);
    expect(parseFieldSelector("status.podIPs!=10.0.0.5", "pods")(pod)).toBe(true);
  });
  test("unknown labels: field label not supported", () => {
    expect(message("spec.containers=x", "pods")).toBe("field label not supported: spec.containers");
    // Terms are not trimmed: the space belongs to the label.
    expect(message("status.phase=Running, spec.nodeName=a", "pods")).toBe("field label not supported:  spec.nodeName");
  });
});

describe("parseFieldSelector: other kinds", () => {
  test("kinds without a conversion of their own take DefaultMetaV1FieldSelectorConversion", () => {
    const dep = { metadata: { name: "web", namespace: "prod" }, spec: { replicas: 2 } };
    expect(parseFieldSelector("metadata.name=web", "deployments")(dep)).toBe(true);
    expect(parseFieldSelector("metadata.namespace!=prod", "deployments")(dep)).toBe(false);
    expect(message("spec.replicas=2", "deployments")).toBe(`"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    expect(message("status.replicas=2", "replicasets")).toBe(`"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    expect(message("data.x=1", "configmaps")).toBe(`"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  });
  test("nodes: metadata.name and spec.unschedulable; no namespace", () => {
    const node = { metadata: { name: "node-a" }, spec: { unschedulable: true } };
    expect(parseFieldSelector("spec.unschedulable=true,metadata.name=node-a", "nodes")(node)).toBe(true);
    expect(parseFieldSelector("spec.unschedulable=false", "nodes")({ metadata: { name: "b" }, spec: {} })).toBe(true);
    expect(message("metadata.namespace=", "nodes")).toBe("field label not supported: metadata.namespace");
  });
  test("namespaces: metadata.name and status.phase", () => {
    expect(parseFieldSelector("status.phase=Active", "namespaces")({ metadata: { name: "x" }, status: { phase: "Active" } })).toBe(true);
    expect(message("metadata.namespace=x", "namespaces")).toBe("field label not supported: metadata.namespace");
  });
  test("services, secrets, events", () => {
    const svc = { metadata: { name: "web", namespace: "d" }, spec: { type: "ClusterIP", clusterIP: "10.96.0.10" } };
    expect(parseFieldSelector("spec.type=ClusterIP,spec.clusterIP=10.96.0.10", "services")(svc)).toBe(true);
    expect(parseFieldSelector("type=kubernetes.io/tls", "secrets")({ metadata: { name: "t" }, type: "kubernetes.io/tls" })).toBe(true);
    const event = {
      metadata: { name: "e", namespace: "d" },
      involvedObject: { kind: "Pod", name: "web-1", namespace: "d", uid: "u1" },
      reason: "BackOff",
      type: "Warning",
      source: { component: "kubelet" },
      reportingController: "kubelet",
    };
    expect(parseFieldSelector("involvedObject.kind=Pod,involvedObject.name=web-1,reason=BackOff,type=Warning,source=kubelet,reportingComponent=kubelet", "events")(event)).toBe(true);
    expect(message("involvedObject.foo=x", "events")).toBe("field label not supported: involvedObject.foo");
  });
});

describe("parseFieldSelector: grammar", () => {
  test("the empty selector and empty terms match everything", () => {
    expect(parseFieldSelector("", "pods")(pod)).toBe(true);
    expect(parseFieldSelector(",,", "pods").terms).toEqual([]);
  });
  test("each term splits at its first operator; the value may be escaped", () => {
    expect(parseFieldSelector("metadata.name=a\\,b", "configmaps").terms).toEqual([{ field: "metadata.name", operator: "=", value: "a,b" }]);
    expect(parseFieldSelector("metadata.name=a\\=b\\\\c", "configmaps").terms).toEqual([{ field: "metadata.name", operator: "=", value: "a=b\\c" }]);
    expect(parseFieldSelector("metadata.name=!x", "configmaps").terms).toEqual([{ field: "metadata.name", operator: "=", value: "!x" }]);
  });
  test("terms are sorted before conversion: the first bad label in sorted order is reported", () => {
    expect(message("zz=1,aa=2", "configmaps")).toBe(`"aa" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  });
  test("malformed terms and values", () => {
    expect(message("metadata.name", "pods")).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
    expect(message("a=b,c", "pods")).toBe("invalid selector: 'a=b,c'; can't understand 'c'");
    // Go prints the offending rune with %v: its number.
    expect(message("metadata.name=a=b", "pods")).toBe("invalid field selector: unescaped character in value: 61");
    expect(message("metadata.name!==x", "pods")).toBe("invalid field selector: unescaped character in value: 61");
    expect(message("metadata.name=a\\x", "pods")).toBe("invalid field selector: invalid escape sequence: \\x");
    expect(message("metadata.name=a\\", "pods")).toBe("invalid field selector: invalid escape sequence: \\");
    expect(message("=x", "pods")).toBe("field label not supported: ");
  });
});
