/** Small hand-written workloads for the example tests. */

import type { Workload } from "../../../src/kube/tap/workload.ts";

export const S1 = "lt-9f2c4d1e8a7b6c50";
export const S2 = "lt-0123456789abcdef";
export const S3 = "lt-fedcba9876543210";

/** A.9's shape: a Deployment with one app container, no resources, no template annotations. */
export function deployment(extra: { annotations?: Record<string, string>; spec?: Record<string, unknown> } = {}): Workload {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" }, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
        spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...extra.spec },
      },
    },
  };
}
