/**
 * The forwarder (§23): read the environment, say so, serve /healthz and /metrics, read the own pod through the
 * service account, follow its sibling containers with the pod-log source and push their lines to the receiver,
 * until SIGTERM/SIGINT: then stop reading, flush, push what is left within its budget,
 * `logtap-forwarder stopped`, exit 0. Everything is printed on stderr.
 */

import { PodLogSource } from "../pipeline/sources/pod-log-source.ts";
import { ForwarderMetrics } from "../src/forward/forwarder-metrics.ts";
import { connectCluster, DEFAULT_TIMEOUT_MS, type Cluster } from "../src/kube/connect.ts";
import { KubeError } from "../src/kube/errors/kube-error.ts";
import { SERVICEACCOUNT_DIR } from "../src/kube/kubeconfig/in-cluster.ts";
import { PodLogFollower } from "../src/kube/follow/pod-log-follower.ts";
import { podScope } from "../src/kube/follow/resolve-scopes.ts";
import { VERSION } from "../src/version.ts";
import { ForwarderEnvError, readForwarderEnv, type ForwarderEnv } from "./env.ts";
import { forwarderEvents } from "./follow-events.ts";
import { forward } from "./forward.ts";
import { startHealthServer } from "./health-server.ts";
import { forwarderLabels } from "./labels.ts";
import { ForwarderStartError, readOwnPod } from "./own-pod.ts";

/** From the start of every container's log: the pod's first lines are printed before the forwarder runs. */
const FROM_THE_START = { sec: 0, nsec: 0 };

const log = (line: string) => console.error(line);

/**
 * The source's queue, in lines: what waits in memory while the receiver holds a push back. recv --follow's
 * 16,384 would be 64 MiB of 4 KiB lines, half the sidecar's limit (docs/benchmarks.md, Forwarder).
 */
const SOURCE_QUEUE = { batchEntries: 500, highWater: 2000 };

/** In a pod: its service account. A kubeconfig is used when there is one, which lets the forwarder be tried outside. */
function connect(environment: Record<string, string | undefined>): Cluster {
  try {
    return connectCluster({ env: environment, timeoutMs: DEFAULT_TIMEOUT_MS, userAgent: `logtap-forwarder/${VERSION}` });
  } catch (e) {
    if (e instanceof KubeError && e.kind === "no-cluster") {
      throw new ForwarderStartError(`no in-cluster service account (KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT and ${SERVICEACCOUNT_DIR}/token) and no kubeconfig: the forwarder runs as a pod's sidecar`);
    }
    throw e;
  }
}

export async function runForwarder(environment: Record<string, string | undefined>): Promise<number> {
  let env: ForwarderEnv;
  try {
    env = readForwarderEnv(environment);
  } catch (e) {
    if (!(e instanceof ForwarderEnvError)) throw e;
    log(e.message);
    return 1;
  }
  log(`logtap-forwarder starting: session=${env.session} target=${env.target} pod=${env.namespace}/${env.podName}`);
  const metrics = new ForwarderMetrics();
  const health = startHealthServer(env.health, metrics, log);
  const stopping = new AbortController();
  let source: PodLogSource | undefined;
  const stop = () => {
    stopping.abort();
    void source?.stop();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  try {
    const cluster = connect(environment);
    const own = await readOwnPod(cluster, env.namespace, env.podName, log, stopping.signal);
    const scope = await podScope(cluster, env.namespace, env.podName, stopping.signal);
    const follower = new PodLogFollower(cluster, {
      scopes: [scope],
      containers: (name) => own.containers.includes(name),
      floor: FROM_THE_START,
      events: forwarderEvents(metrics, log),
    });
    source = new PodLogSource(follower, SOURCE_QUEUE);
    if (stopping.signal.aborted) void source.stop();
    log(`following ${own.containers.join(", ")}`);
    const labelsOf = forwarderLabels({ namespace: env.namespace, pod: env.podName, session: env.session, app: own.app });
    await forward(source.readable, { env, metrics, log, stopping: stopping.signal, relabel: (l) => labelsOf(l.container!) });
  } catch (e) {
    // A signal during start-up is a stop, not a failure.
    if (!stopping.signal.aborted) {
      if (!(e instanceof ForwarderStartError || e instanceof KubeError)) throw e;
      log(e.message);
      health?.stop();
      return 1;
    }
  }
  health?.stop();
  log("logtap-forwarder stopped");
  return 0;
}
