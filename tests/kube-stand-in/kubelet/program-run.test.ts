/**
 * Pods whose image is mapped to a local program run it: the real kubectl sees its output as the container's log,
 * and the process gets the container's environment (values, $(VAR) expansion, fieldRefs, Secret and ConfigMap
 * keys, envFrom), its command line by Kubernetes' command/args rules, the `kubernetes` Service variables, and a
 * loopback pod IP. A missing Secret keeps the container in CreateContainerConfigError until it exists.
 */

import { describe, expect, test } from "bun:test";
import { waitFor } from "../../support/wait-for.ts";
import { kubectlMissing } from "../kubectl.ts";
import { logsOf, PROGRAM_IMAGE, useProgramCluster } from "./testing/program-cluster.ts";

const skip = kubectlMissing("the tests of pods that run programs");
const c = useProgramCluster(skip);

describe.skipIf(skip)("a pod whose image is mapped to a program", () => {
  test("runs it: kubectl logs shows its stdout and stderr; it is Running with a loopback pod IP", async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
    args: ["--print", "hello from the program", "--stderr", "a warning", "--print", "bye"]
`);
    const logs = await logsOf(c, "hello", 3);
    expect(logs.split("\n").filter(Boolean).sort()).toEqual(["a warning", "bye", "hello from the program"]);
    await c.admin.ok(["wait", "--for=condition=Ready", "pod/hello", "--timeout=20s"]);
    const pod = await c.admin.json(["get", "pod", "hello"]);
    expect(pod.status.phase).toBe("Running");
    expect(pod.status.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(pod.status.podIP).not.toBe("127.0.0.1");
    const ts = await c.admin.ok(["logs", "hello", "--timestamps"]);
    for (const line of ts.split("\n").filter(Boolean)) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
  });

  test("with the container's environment: values, $(VAR), fieldRefs, Secret and ConfigMap keys, envFrom, the kubernetes Service", async () => {
    await c.admin.ok(["create", "secret", "generic", "creds", "--from-literal=password=s3cret"]);
    await c.admin.ok(["create", "configmap", "settings", "--from-literal=level=debug", "--from-literal=MODE=fast"]);
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: envy, labels: {app: envy}}
spec:
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
    envFrom: [{configMapRef: {name: settings}, prefix: CFG_}]
    env:
    - {name: GREETING, value: hello}
    - {name: MESSAGE, value: "$(GREETING) world, $$(GREETING) kept"}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: SA, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
    - {name: APP_LABEL, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
    - {name: LEVEL, valueFrom: {configMapKeyRef: {name: settings, key: level}}}
    - {name: NOPE, valueFrom: {secretKeyRef: {name: creds, key: absent, optional: true}}}
    args: ["--env", "MESSAGE", "--env", "POD_NAME", "--env", "POD_NAMESPACE", "--env", "POD_IP", "--env", "NODE", "--env", "SA",
           "--env", "APP_LABEL", "--env", "PASSWORD", "--env", "LEVEL", "--env", "CFG_level", "--env", "CFG_MODE", "--env", "NOPE",
           "--env", "KUBERNETES_SERVICE_HOST", "--env", "KUBERNETES_SERVICE_PORT", "--env", "HOSTNAME", "--env", "LOGTAP_TEST_SERVICEACCOUNT_DIR", "--argv", "--print", "$(POD_NAME) on $(NODE)"]
`);
    const logs = await logsOf(c, "envy", 18);
    const pod = await c.admin.json(["get", "pod", "envy"]);
    const env = Object.fromEntries(logs.split("\n").filter((l) => /^[A-Z_a-z]+=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    expect(env).toMatchObject({
      MESSAGE: "hello world, $(GREETING) kept",
      POD_NAME: "envy",
      POD_NAMESPACE: "default",
      POD_IP: pod.status.podIP,
      NODE: pod.spec.nodeName,
      SA: "default",
      APP_LABEL: "envy",
      PASSWORD: "s3cret",
      LEVEL: "debug",
      CFG_level: "debug",
      CFG_MODE: "fast",
      NOPE: "<unset>",
      KUBERNETES_SERVICE_HOST: "127.0.0.1",
      KUBERNETES_SERVICE_PORT: String(new URL(c.k.url).port),
      HOSTNAME: "envy",
    });
    expect(env.LOGTAP_TEST_SERVICEACCOUNT_DIR).toMatch(/serviceaccount$/);
    // $(VAR) in args is expanded too.
    expect(logs).toContain(`envy on ${pod.spec.nodeName}\n`);
  });

  test("waits in CreateContainerConfigError for a missing Secret, and starts once it exists", async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: needs-secret}
spec:
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
    env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: later, key: token}}}]
    args: ["--env", "TOKEN"]
`);
    await waitFor(async () => (await c.admin.json(["get", "pod", "needs-secret"])).status?.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError", 10_000, "CreateContainerConfigError");
    const waiting = (await c.admin.json(["get", "pod", "needs-secret"])).status.containerStatuses[0].state.waiting;
    expect(waiting.message).toBe('secret "later" not found');
    await c.admin.ok(["create", "secret", "generic", "later", "--from-literal=token=t0k"]);
    expect(await logsOf(c, "needs-secret", 1)).toBe("TOKEN=t0k\n");
  });

  test("command and args follow Kubernetes: command replaces the entrypoint, args the image's CMD", async () => {
    c.k.mapImage("stand-in.test/with-cmd:*", { command: [process.execPath, (await import("./testing/program-cluster.ts")).POD_PROGRAM], args: ["--print", "image CMD"] });
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: cmd}
spec:
  containers:
  - {name: plain, image: "stand-in.test/with-cmd:1"}
  - {name: args, image: "stand-in.test/with-cmd:1", args: ["--print", "my args"]}
  - {name: shell, image: "stand-in.test/with-cmd:1", command: ["sh", "-c", "echo from sh $0 $1", "x"], args: ["y"]}
`);
    expect(await logsOf(c, "cmd", 1, "plain")).toBe("image CMD\n");
    expect(await logsOf(c, "cmd", 1, "args")).toBe("my args\n");
    expect(await logsOf(c, "cmd", 1, "shell")).toBe("from sh x y\n");
  });
});
