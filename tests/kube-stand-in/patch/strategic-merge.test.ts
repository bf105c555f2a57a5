// Strategic merge patches on the stand-in's kinds: the merge keys of k8s.io/api (see smp-schema.ts), the patches
// kubectl sends (kubectl patch bodies, and kubectl apply's three-way patches with $setElementOrder/$retainKeys), and
// the API server's errors. Orders follow apimachinery's algorithm (the MergeItem tables are in
// smp-apimachinery.test.ts).
import { describe, expect, test } from "bun:test";
import { KubeStatusError } from "./status-error.ts";
import { strategicMergePatch } from "./strategic-merge.ts";

function deployment(containers: unknown[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", annotations: { "deployment.kubernetes.io/revision": "1", team: "a" }, finalizers: ["x/a", "x/b"] },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers, ...extra } },
    },
  };
}

const app = {
  name: "app",
  image: "app:1",
  args: ["--a", "--b"],
  ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
  env: [{ name: "A", value: "1" }, { name: "B", value: "2" }],
  volumeMounts: [{ name: "data", mountPath: "/data" }, { name: "tmp", mountPath: "/tmp" }],
};
const mesh = { name: "mesh", image: "proxy:1" };

const patchTemplate = (spec: Record<string, unknown>) => ({ spec: { template: { spec } } });
const podSpec = (o: unknown) => (o as any).spec.template.spec;
const names = (list: { name: string }[]) => list.map((c) => c.name);

function failure(original: unknown, patch: unknown, kind = "Deployment"): KubeStatusError {
  try {
    strategicMergePatch(original, patch, kind);
  } catch (e) {
    expect(e).toBeInstanceOf(KubeStatusError);
    return e as KubeStatusError;
  }
  throw new Error("the patch applied");
}

describe("containers merge by name", () => {
  test("kubectl set image: only the named container changes", () => {
    const out = strategicMergePatch(deployment([app, mesh]), patchTemplate({ containers: [{ name: "app", image: "app:2" }] }), "Deployment");
    expect(podSpec(out).containers).toEqual([{ ...app, image: "app:2" }, mesh]);
  });
  test("a new container without $setElementOrder goes before the containers only the live object has", () => {
    // mergeSortedSlice: a patch item absent from the live list is never "greater" than a live item, so it leads.
    const out = strategicMergePatch(deployment([app, mesh]), patchTemplate({ containers: [{ name: "logtap", image: "fwd:1" }] }), "Deployment");
    expect(names(podSpec(out).containers)).toEqual(["logtap", "app", "mesh"]);
  });
  test("patch items keep the patch's order, live items theirs, interleaved by the live order", () => {
    const out = strategicMergePatch(
      deployment([app, mesh, { name: "c", image: "c" }]),
      patchTemplate({ containers: [{ name: "c", image: "c:2" }, { name: "new" }, { name: "app", image: "app:2" }] }),
      "Deployment",
    );
    expect(names(podSpec(out).containers)).toEqual(["mesh", "c", "new", "app"]);
  });
  test("kubectl apply adding a sidecar sends $setElementOrder: the manifest's order wins", () => {
    const patch = patchTemplate({
      "$setElementOrder/containers": [{ name: "app" }, { name: "mesh" }, { name: "logtap" }],
      containers: [{ name: "logtap", image: "fwd:1" }],
    });
    const out = strategicMergePatch(deployment([app, mesh]), patch, "Deployment");
    expect(names(podSpec(out).containers)).toEqual(["app", "mesh", "logtap"]);
    expect(podSpec(out).containers[2]).toEqual({ name: "logtap", image: "fwd:1" });
  });
  test("$patch: delete removes a container by name; the others keep their order", () => {
    const out = strategicMergePatch(deployment([app, { name: "logtap", image: "fwd:1" }, mesh]), patchTemplate({ containers: [{ name: "logtap", $patch: "delete" }] }), "Deployment");
    expect(podSpec(out).containers).toEqual([app, mesh]);
  });
  test("kubectl apply removing one container and adding another (delete, add and $setElementOrder together)", () => {
    // The live order read back after Go's in-place deletion and append is what places "mesh" (see go-slice.ts).
    const patch = patchTemplate({
      "$setElementOrder/containers": [{ name: "app" }, { name: "sidecar" }],
      containers: [{ name: "sidecar", image: "s:1" }, { name: "old", $patch: "delete" }],
    });
    const out = strategicMergePatch(deployment([{ name: "old" }, app, mesh]), patch, "Deployment");
    expect(names(podSpec(out).containers)).toEqual(["app", "mesh", "sidecar"]);
  });
  test("$patch: replace on the list makes it the patch's other elements", () => {
    const out = strategicMergePatch(deployment([app, mesh]), patchTemplate({ containers: [{ $patch: "replace" }, { name: "only", image: "o" }] }), "Deployment");
    expect(podSpec(out).containers).toEqual([{ name: "only", image: "o" }]);
  });
  test("native sidecar: an init container with restartPolicy Always merges into initContainers by name", () => {
    const original = deployment([app], { initContainers: [{ name: "init", image: "i" }] });
    const out = strategicMergePatch(original, patchTemplate({ initContainers: [{ name: "logtap", image: "fwd", restartPolicy: "Always" }] }), "Deployment");
    expect(names(podSpec(out).initContainers)).toEqual(["logtap", "init"]);
    expect(podSpec(out).containers).toEqual([app]);
  });
  test("a patch element with the same key merges into the one added before it", () => {
    const out = strategicMergePatch(deployment([app]), patchTemplate({ containers: [{ name: "x", image: "1" }, { name: "x", args: ["y"] }] }), "Deployment");
    expect(podSpec(out).containers).toEqual([{ name: "x", image: "1", args: ["y"] }, app]);
  });
});

describe("lists inside a container", () => {
  const patchApp = (fields: Record<string, unknown>) => patchTemplate({ containers: [{ name: "app", ...fields }] });
  const patchedApp = (fields: Record<string, unknown>) => podSpec(strategicMergePatch(deployment([app, mesh]), patchApp(fields), "Deployment")).containers[0];

  test("env merges by name: a value changes, a variable is added, one is deleted", () => {
    expect(patchedApp({ env: [{ name: "B", value: "3" }] }).env).toEqual([{ name: "A", value: "1" }, { name: "B", value: "3" }]);
    expect(patchedApp({ env: [{ name: "C", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }).env).toEqual([
      { name: "C", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
    expect(patchedApp({ env: [{ name: "A", $patch: "delete" }] }).env).toEqual([{ name: "B", value: "2" }]);
    // null deletes a field of an element: switching B from a value to valueFrom.
    expect(patchedApp({ env: [{ name: "B", value: null, valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] }).env[1]).toEqual({
      name: "B",
      valueFrom: { secretKeyRef: { name: "s", key: "k" } },
    });
  });
  test("volumeMounts merge by mountPath, not name", () => {
    const mounts = patchedApp({ volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }, { name: "data", mountPath: "/logs" }] }).volumeMounts;
    expect(mounts).toEqual([{ name: "data", mountPath: "/data", readOnly: true }, { name: "data", mountPath: "/logs" }, { name: "tmp", mountPath: "/tmp" }]);
    expect(patchedApp({ volumeMounts: [{ mountPath: "/tmp", $patch: "delete" }] }).volumeMounts).toEqual([{ name: "data", mountPath: "/data" }]);
  });
  test("a volumeMount without its merge key is the server's plain error (500, message only)", () => {
    const err = failure(deployment([app]), patchApp({ volumeMounts: [{ name: "x" }] }));
    expect(err.toStatus()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "map: map[name:x] does not contain declared merge key: mountPath",
      code: 500,
    });
  });
  test("container ports merge by containerPort", () => {
    expect(patchedApp({ ports: [{ containerPort: 8080, name: "web" }, { containerPort: 9090 }] }).ports).toEqual([
      { containerPort: 8080, name: "web", protocol: "TCP" },
      { containerPort: 9090 },
    ]);
  });
  test("args, command and envFrom have no merge strategy: replaced whole", () => {
    expect(patchedApp({ args: ["--c"] }).args).toEqual(["--c"]);
    expect(patchedApp({ command: ["/bin/x"] }).command).toEqual(["/bin/x"]);
    const withEnvFrom = deployment([{ ...app, envFrom: [{ configMapRef: { name: "a" } }] }]);
    const out = strategicMergePatch(withEnvFrom, patchApp({ envFrom: [{ secretRef: { name: "b" } }] }), "Deployment");
    expect(podSpec(out).containers[0].envFrom).toEqual([{ secretRef: { name: "b" } }]);
  });
});

describe("pod spec lists", () => {
  test("volumes merge by name; $retainKeys switches a volume's source (kubectl apply)", () => {
    const original = deployment([app], { volumes: [{ name: "data", emptyDir: {} }, { name: "tmp", emptyDir: { medium: "Memory" } }] });
    const out = strategicMergePatch(
      original,
      patchTemplate({ "$setElementOrder/volumes": [{ name: "data" }, { name: "tmp" }], volumes: [{ $retainKeys: ["configMap", "name"], name: "data", configMap: { name: "cm" } }] }),
      "Deployment",
    );
    expect(podSpec(out).volumes).toEqual([{ name: "data", configMap: { name: "cm" } }, { name: "tmp", emptyDir: { medium: "Memory" } }]);
  });
  test("$retainKeys naming a key the patch does not list is a 400", () => {
    const err = failure(deployment([app], { volumes: [{ name: "data", emptyDir: {} }] }), patchTemplate({ volumes: [{ $retainKeys: ["name"], name: "data", configMap: { name: "cm" } }] }));
    expect(err.code).toBe(400);
    expect(err.message).toBe("invalid patch format of retainKeys");
  });
  test("tolerations and readinessGates are replaced whole; imagePullSecrets and hostAliases merge", () => {
    const original = deployment([app], {
      tolerations: [{ key: "a", operator: "Exists" }],
      readinessGates: [{ conditionType: "x" }],
      imagePullSecrets: [{ name: "reg1" }],
      hostAliases: [{ ip: "10.0.0.1", hostnames: ["a"] }],
    });
    const out = podSpec(
      strategicMergePatch(
        original,
        patchTemplate({
          tolerations: [{ key: "b", operator: "Exists" }],
          readinessGates: [{ conditionType: "y" }],
          imagePullSecrets: [{ name: "reg2" }],
          hostAliases: [{ ip: "10.0.0.1", hostnames: ["b"] }, { ip: "10.0.0.2", hostnames: ["c"] }],
        }),
        "Deployment",
      ),
    );
    expect(out.tolerations).toEqual([{ key: "b", operator: "Exists" }]);
    expect(out.readinessGates).toEqual([{ conditionType: "y" }]);
    expect(out.imagePullSecrets).toEqual([{ name: "reg2" }, { name: "reg1" }]);
    // hostnames has no strategy: replaced inside the merged element.
    expect(out.hostAliases).toEqual([{ ip: "10.0.0.1", hostnames: ["b"] }, { ip: "10.0.0.2", hostnames: ["c"] }]);
  });
  test("topologySpreadConstraints merge by topologyKey", () => {
    const original = deployment([app], { topologySpreadConstraints: [{ topologyKey: "zone", maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" }] });
    const out = podSpec(strategicMergePatch(original, patchTemplate({ topologySpreadConstraints: [{ topologyKey: "zone", maxSkew: 2 }] }), "Deployment"));
    expect(out.topologySpreadConstraints).toEqual([{ topologyKey: "zone", maxSkew: 2, whenUnsatisfiable: "DoNotSchedule" }]);
  });
  test("a Pod's own spec and status use the same keys", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [app, mesh] },
      status: { phase: "Running", conditions: [{ type: "Ready", status: "False" }, { type: "PodScheduled", status: "True" }], containerStatuses: [{ name: "app", ready: false }] },
    };
    const out = strategicMergePatch(
      pod,
      { spec: { containers: [{ name: "mesh", image: "proxy:2" }] }, status: { conditions: [{ type: "Ready", status: "True" }], containerStatuses: [{ name: "mesh", ready: true }] } },
      "Pod",
    ) as any;
    expect(out.spec.containers).toEqual([app, { ...mesh, image: "proxy:2" }]);
    expect(out.status.conditions).toEqual([{ type: "Ready", status: "True" }, { type: "PodScheduled", status: "True" }]);
    // containerStatuses has no merge key: replaced.
    expect(out.status.containerStatuses).toEqual([{ name: "mesh", ready: true }]);
  });
});

describe("metadata", () => {
  test("null deletes an annotation; other annotations stay", () => {
    const out = strategicMergePatch(deployment([app]), { metadata: { annotations: { team: null, "logtap.dev/session": "s1" } } }, "Deployment") as any;
    expect(out.metadata.annotations).toEqual({ "deployment.kubernetes.io/revision": "1", "logtap.dev/session": "s1" });
  });
  test("annotations on the pod template", () => {
    const out = strategicMergePatch(deployment([app]), { spec: { template: { metadata: { annotations: { "logtap.dev/tap": "{}" } } } } }, "Deployment") as any;
    expect(out.spec.template.metadata).toEqual({ labels: { app: "web" }, annotations: { "logtap.dev/tap": "{}" } });
  });
  test("finalizers: merged as a set, $deleteFromPrimitiveList removes", () => {
    const add = strategicMergePatch(deployment([app]), { metadata: { finalizers: ["x/b", "x/c"] } }, "Deployment") as any;
    // x/b is live, so x/a (live, before it) stays first; x/c is new and follows the patch's order.
    expect(add.metadata.finalizers).toEqual(["x/a", "x/b", "x/c"]);
    const fresh = strategicMergePatch(deployment([app]), { metadata: { finalizers: ["x/c"] } }, "Deployment") as any;
    expect(fresh.metadata.finalizers).toEqual(["x/c", "x/a", "x/b"]);
    const del = strategicMergePatch(deployment([app]), { metadata: { "$deleteFromPrimitiveList/finalizers": ["x/a"] } }, "Deployment") as any;
    expect(del.metadata.finalizers).toEqual(["x/b"]);
    const ordered = strategicMergePatch(
      deployment([app]),
      { metadata: { "$setElementOrder/finalizers": ["x/b", "x/c"], finalizers: ["x/c"], "$deleteFromPrimitiveList/finalizers": ["x/a"] } },
      "Deployment",
    ) as any;
    expect(ordered.metadata.finalizers).toEqual(["x/b", "x/c"]);
  });
  test("$deleteFromPrimitiveList on a list the object does not have creates nothing", () => {
    const out = strategicMergePatch({ kind: "ConfigMap", metadata: { name: "c" } }, { metadata: { "$deleteFromPrimitiveList/finalizers": ["x"] } }, "ConfigMap") as any;
    expect(out.metadata).toEqual({ name: "c" });
  });
  test("ownerReferences merge by uid", () => {
    const original = { kind: "ReplicaSet", metadata: { name: "rs", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "u1", controller: true }] } };
    const out = strategicMergePatch(original, { metadata: { ownerReferences: [{ uid: "u1", blockOwnerDeletion: true }] } }, "ReplicaSet") as any;
    expect(out.metadata.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "u1", controller: true, blockOwnerDeletion: true }]);
  });
});

describe("other kinds", () => {
  test("Deployment strategy has retainKeys: kubectl apply switching to Recreate clears rollingUpdate", () => {
    const out = strategicMergePatch(deployment([app]), { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } }, "Deployment") as any;
    expect(out.spec.strategy).toEqual({ type: "Recreate" });
    // Without the directive the map merges and rollingUpdate stays (the API server then rejects it in validation).
    const merged = strategicMergePatch(deployment([app]), { spec: { strategy: { type: "Recreate" } } }, "Deployment") as any;
    expect(merged.spec.strategy.rollingUpdate).toEqual({ maxSurge: "25%", maxUnavailable: "25%" });
  });
  test("Service ports merge by port", () => {
    const svc = { kind: "Service", metadata: { name: "s" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } };
    const out = strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: "http" }, { name: "metrics", port: 9100 }] } }, "Service") as any;
    expect(out.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http" }, { name: "metrics", port: 9100 }]);
  });
  test("ServiceAccount: secrets merge by name, imagePullSecrets are replaced (no tag there)", () => {
    const sa = { kind: "ServiceAccount", metadata: { name: "sa" }, secrets: [{ name: "t1" }], imagePullSecrets: [{ name: "r1" }] };
    const out = strategicMergePatch(sa, { secrets: [{ name: "t2" }], imagePullSecrets: [{ name: "r2" }] }, "ServiceAccount") as any;
    expect(out.secrets).toEqual([{ name: "t2" }, { name: "t1" }]);
    expect(out.imagePullSecrets).toEqual([{ name: "r2" }]);
  });
  test("Node: podCIDRs merge as a set, addresses and conditions by type, taints are replaced", () => {
    const node = {
      kind: "Node",
      metadata: { name: "n" },
      spec: { podCIDRs: ["10.0.0.0/24"], taints: [{ key: "a", effect: "NoSchedule" }] },
      status: { addresses: [{ type: "InternalIP", address: "1.1.1.1" }], conditions: [{ type: "Ready", status: "True" }] },
    };
    const out = strategicMergePatch(
      node,
      { spec: { podCIDRs: ["fd00::/64"], taints: [] }, status: { addresses: [{ type: "Hostname", address: "n" }], conditions: [{ type: "Ready", status: "False" }] } },
      "Node",
    ) as any;
    // A new value leads, as a new list element does.
    expect(out.spec).toEqual({ podCIDRs: ["fd00::/64", "10.0.0.0/24"], taints: [] });
    expect(out.status.addresses).toEqual([{ type: "Hostname", address: "n" }, { type: "InternalIP", address: "1.1.1.1" }]);
    expect(out.status.conditions).toEqual([{ type: "Ready", status: "False" }]);
  });
  test("RBAC rules and subjects are replaced whole; ConfigMap data merges key by key", () => {
    const role = { kind: "Role", metadata: { name: "r" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] };
    expect((strategicMergePatch(role, { rules: [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }] }, "Role") as any).rules).toEqual([
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] },
    ]);
    const rb = { kind: "RoleBinding", metadata: { name: "rb" }, subjects: [{ kind: "User", name: "alice" }], roleRef: { kind: "Role", name: "r" } };
    expect((strategicMergePatch(rb, { subjects: [{ kind: "User", name: "bob" }] }, "RoleBinding") as any).subjects).toEqual([{ kind: "User", name: "bob" }]);
    const cm = { kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1", b: "2" } };
    expect((strategicMergePatch(cm, { data: { b: null, c: "3" } }, "ConfigMap") as any).data).toEqual({ a: "1", c: "3" });
  });
  test("StatefulSet, DaemonSet and ReplicaSet templates merge containers the same way", () => {
    for (const kind of ["StatefulSet", "DaemonSet", "ReplicaSet"]) {
      const obj = { ...deployment([app, mesh]), kind };
      const out = strategicMergePatch(obj, patchTemplate({ containers: [{ name: "mesh", $patch: "delete" }] }), kind);
      expect(podSpec(out).containers).toEqual([app]);
    }
  });
});

describe("values taken as they are", () => {
  test("a new subtree is copied minus nulls and maps carrying $patch", () => {
    const out = strategicMergePatch(
      deployment([app]),
      patchTemplate({ affinity: { nodeAffinity: { preferred: null, required: { terms: [{ $patch: "delete", a: 1 }, { b: 2 }] } } } }),
      "Deployment",
    );
    expect(podSpec(out).affinity).toEqual({ nodeAffinity: { required: { terms: [{ b: 2 }] } } });
  });
  test("directive keys left in copied values are dropped, as decoding into the typed object drops them", () => {
    const out = strategicMergePatch(deployment([app]), patchTemplate({ containers: [{ name: "new", "$setElementOrder/env": [{ name: "X" }], env: [{ name: "X", value: "1" }] }] }), "Deployment");
    expect(podSpec(out).containers[0]).toEqual({ name: "new", env: [{ name: "X", value: "1" }] });
  });
  test("$patch: replace and $patch: delete on a map", () => {
    const out = strategicMergePatch(deployment([app]), { metadata: { annotations: { $patch: "replace", only: "1" } } }, "Deployment") as any;
    expect(out.metadata.annotations).toEqual({ only: "1" });
    const emptied = strategicMergePatch(deployment([app]), { spec: { selector: { $patch: "delete" } } }, "Deployment") as any;
    expect(emptied.spec.selector).toEqual({});
  });
  test("the inputs are not modified", () => {
    const original = deployment([app, mesh]);
    const patch = patchTemplate({ containers: [{ name: "mesh", $patch: "delete" }, { name: "app", image: "x" }] });
    const before = JSON.stringify([original, patch]);
    strategicMergePatch(original, patch, "Deployment");
    expect(JSON.stringify([original, patch])).toBe(before);
  });
  test("a null patch changes nothing", () => {
    expect(strategicMergePatch(deployment([app]), null, "Deployment")).toEqual(deployment([app]));
  });
});

describe("errors as the API server reports them", () => {
  test("a body that is not an object: 400 from decoding into a map", () => {
    const err = failure(deployment([app]), [{ op: "add" }]);
    expect(err.toStatus()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "json: cannot unmarshal array into Go value of type map[string]interface {}",
      reason: "BadRequest",
      code: 400,
    });
    expect(failure(deployment([app]), "x").message).toBe("json: cannot unmarshal string into Go value of type map[string]interface {}");
  });
  test("a kind without strategic merge metadata is answered as for a custom resource: 415", () => {
    const err = failure({ kind: "Widget", metadata: { name: "w" } }, { spec: {} }, "Widget");
    expect(err.code).toBe(415);
    expect(err.reason).toBe("UnsupportedMediaType");
    expect(err.message).toBe(
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
  });
  test("malformed directives", () => {
    expect(failure(deployment([app]), { metadata: { $deleteFromPrimitiveList: ["x"] } }).toStatus()).toMatchObject({ code: 400, message: "invalid patch format of primitive list" });
    expect(failure(deployment([app]), { metadata: { "$setElementOrderfinalizers": ["x"] } }).toStatus()).toMatchObject({ code: 400, message: "invalid patch format of setElementOrder list" });
    expect(failure(deployment([app]), patchTemplate({ containers: [{ name: "app", $patch: "merge" }] })).toStatus()).toMatchObject({
      code: 500,
      message: "merging lists cannot yet be specified in the patch",
    });
    expect(failure(deployment([app]), { metadata: { $patch: "merge" } }).message).toBe("unknown patch type: merge in map: map[$patch:merge]");
    expect(failure(deployment([app]), patchTemplate({ containers: [{ $patch: "delete" }] })).message).toBe("map: map[$patch:delete] does not contain declared merge key: name");
  });
  test("$setElementOrder out of step with the patch list", () => {
    const err = failure(deployment([app, mesh]), patchTemplate({ "$setElementOrder/containers": [{ name: "app" }], containers: [{ name: "mesh" }, { name: "app" }] }));
    expect(err.code).toBe(500);
    expect(err.message).toBe("The order in patch list:\n[map[name:mesh] map[name:app]]\n doesn't match $setElementOrder list:\n[map[name:app]]\n");
  });
  test("mixed element types, and lists of lists (422 with the generic body)", () => {
    expect(failure(deployment([app]), patchTemplate({ containers: ["app"] })).message).toBe(
      `list element types are not identical: [[map[args:[--a --b] env:[map[name:A value:1] map[name:B value:2]] image:app:1 name:app ports:[map[containerPort:8080 name:http protocol:TCP]] volumeMounts:[map[mountPath:/data name:data] map[mountPath:/tmp name:tmp]]]] [app]]`,
    );
    const original = { kind: "ConfigMap", metadata: { name: "c", finalizers: [] } };
    expect(failure(original, { metadata: { finalizers: [["a"]] } }, "ConfigMap").toStatus()).toMatchObject({
      code: 422,
      reason: "Invalid",
      message: "the server rejected our request due to an error in our request",
    });
  });
});
