/**
 * Services over pods that run programs. From outside, through the API server's services/proxy (as kubectl and
 * logtap reach an in-cluster receiver without a port-forward): a ready pod of the selector answers, on the
 * targetPort (named or numbered). From inside a pod, on the stand-in's pod network (pod-net.c): every pod binds
 * its own port on its own IP, Service names resolve with the pod's search path, a ClusterIP forwards to a ready
 * endpoint or refuses without one, `kubernetes.default.svc` is the stand-in, and unknown cluster names do not exist.
 */

import { describe, expect, test } from "bun:test";
import { waitFor } from "../../support/wait-for.ts";
import { kubectlMissing } from "../kubectl.ts";
import { podNetLibrary } from "./pod-network.ts";
import { logsOf, PROGRAM_IMAGE, useProgramCluster } from "./testing/program-cluster.ts";

const skip = kubectlMissing("the Service tests of pods that run programs");
const c = useProgramCluster(skip);

const raw = (path: string) => c.admin.run(["get", "--raw", path]);

describe.skipIf(skip)("a Service over pods that run a program", () => {
  test("is reached through services/proxy: a ready pod answers on the targetPort; each replica binds :8080 on its own IP", async () => {
    await c.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: ${PROGRAM_IMAGE}
        args: ["--listen", ":8080"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /readyz, port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: x}
spec:
  selector: {app: web}
  ports: [{name: web, port: 80, targetPort: http}]
`);
    await c.admin.ok(["rollout", "status", "deploy/web", "--timeout=30s"]);
    const r = await raw("/api/v1/namespaces/default/services/x:80/proxy/healthz");
    expect(r).toMatchObject({ code: 0, stdout: "ok" });
    expect((await raw("/api/v1/namespaces/default/services/x:web/proxy/healthz")).stdout).toBe("ok");
    const pods = (await c.admin.json(["get", "pods", "-l", "app=web"])).items.map((p: any) => p.metadata.name).sort();
    const seen = new Set<string>();
    await waitFor(async () => {
      seen.add((await raw("/api/v1/namespaces/default/services/x:80/proxy/env/HOSTNAME")).stdout);
      return seen.size === 2;
    }, 20_000, "both replicas to answer");
    expect([...seen].sort()).toEqual(pods);
  });

  test("without a ready endpoint: the real 503s", async () => {
    await c.admin.ok(["create", "service", "clusterip", "nobody", "--tcp=80:8080"]);
    expect((await raw("/api/v1/namespaces/default/services/nobody:80/proxy/")).stderr).toContain('no endpoints available for service "nobody"');
    expect((await raw("/api/v1/namespaces/default/services/x:81/proxy/")).stderr).toContain('no service port "81" found for service "x"');
  });

  test.skipIf(!podNetLibrary())("is reached from a pod by name and ClusterIP; kubernetes.default.svc is the stand-in; unknown names do not resolve", async () => {
    const clusterIP = (await c.admin.json(["get", "svc", "x"])).spec.clusterIP;
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
    args: ["--fetch", "http://x/healthz", "--fetch", "http://x.default.svc.cluster.local:80/healthz", "--fetch", "http://${clusterIP}/healthz",
           "--fetch", "http://nobody/", "--fetch", "http://missing.default.svc.cluster.local/", "--fetch", "https://kubernetes.default.svc/version"]
`);
    const lines = (await logsOf(c, "client", 6)).trim().split("\n");
    expect(lines.slice(0, 3)).toEqual([`fetch http://x/healthz: 200 ok`, `fetch http://x.default.svc.cluster.local:80/healthz: 200 ok`, `fetch http://${clusterIP}/healthz: 200 ok`]);
    expect(lines[3]).toBe("fetch http://nobody/: error ECONNREFUSED");
    expect(lines[4]).toMatch(/^fetch http:\/\/missing\.default\.svc\.cluster\.local\/: error /);
    expect(lines[4]).not.toContain("200");
    expect(lines[5]).toMatch(/^fetch https:\/\/kubernetes\.default\.svc\/version: 200 .*"gitVersion":"v1\.31\.0"/s);
  });
});
