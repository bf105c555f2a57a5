/**
 * A receiver reached through the API server's services/proxy (`/api/v1/namespaces/<ns>/services/<name>:<port>/proxy/…`):
 * no port-forward, only the kubeconfig's credentials and `get services/proxy`. Errors of the API server itself (403,
 * the service missing, no ready endpoints) come as its Status and are reported as such; anything else is the
 * receiver's own answer.
 */

import type { Cluster } from "../connect.ts";
import { apiErrorFromBody } from "../errors/from-response.ts";
import { requestAttributes } from "../errors/describe-request.ts";
import { captureRemote, type CaptureRemote } from "./capture-remote.ts";

export function serviceRemote(cluster: Cluster, namespace: string, service: string, port: number, token: string): CaptureRemote {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${port}/proxy`;
  return captureRemote({
    where: `service ${service}:${port} in namespace "${namespace}" (through the API server's services/proxy)`,
    token,
    send: async (path, init) => (await cluster.open({ path: base + path, method: init.method, headers: init.headers, accept: "*/*", anyStatus: true, signal: init.signal })).response,
    foreignError: (status, text) => {
      if (!text.startsWith("{")) return undefined;
      const error = apiErrorFromBody(status, text, requestAttributes("GET", new URL(cluster.server + base)), { server: cluster.server, user: cluster.user || "(anonymous)" });
      return error.body ? error : undefined;
    },
  });
}
