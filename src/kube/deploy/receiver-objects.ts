/**
 * The objects of an in-cluster receiver (§22.6, §3.13), as plain JSON for the API: the namespace (when logtap creates
 * it), the Secret holding the capture token, the Service and the Pod, all named `logtap-receiver` and labelled as
 * logtap's receiver. The Pod runs `logtap recv --serve-capture` (src/server/handlers/capture-files.ts) with the token
 * from the Secret, so the CLI can bring the capture home through services/proxy.
 */

import { CAPTURE_TOKEN_ENV } from "../../recv/capture-token.ts";
import { MANAGED_BY_LABEL } from "../tap/names.ts";

export const RECEIVER_NAME = "logtap-receiver";
export const RECEIVER_CONTAINER = "receiver";
export const RECEIVER_LABELS: Readonly<Record<string, string>> = { [MANAGED_BY_LABEL]: "logtap", "app.kubernetes.io/name": RECEIVER_NAME };
/** The Secret's key holding the token. */
export const TOKEN_KEY = "capture-token";
/** Where the capture lives in the pod: the emptyDir volume. */
export const DATA_DIR = "/data";

export interface ReceiverSpec {
  namespace: string;
  image: string;
  port: number;
  /** `--max-disk` as the user wrote it (the receiver parses it). */
  maxDisk: string;
  /** recv --in-cluster passes these on; deploy leaves them at the receiver's defaults. */
  maxFile?: string;
  compress?: boolean;
  redact?: string;
  /** The pod's lifetime (recv --in-cluster --ttl); absent or 0: none. */
  activeDeadlineSeconds?: number;
}

type Json = Record<string, unknown>;

export function namespaceObject(name: string): Json {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { ...RECEIVER_LABELS } } };
}

export function tokenSecret(namespace: string, token: string): Json {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: RECEIVER_NAME, namespace, labels: { ...RECEIVER_LABELS } },
    type: "Opaque",
    data: { [TOKEN_KEY]: Buffer.from(token).toString("base64") },
  };
}

export function receiverService(namespace: string, port: number): Json {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: RECEIVER_NAME, namespace, labels: { ...RECEIVER_LABELS } },
    spec: { selector: { ...RECEIVER_LABELS }, ports: [{ port, targetPort: port, protocol: "TCP" }] },
  };
}

/** `recv --headless --listen :<port> --dir /data --max-disk <max-disk>` as upstream, then ours: `--serve-capture`. */
export function receiverArgs(s: ReceiverSpec): string[] {
  const args = ["recv", "--headless", "--listen", `:${s.port}`, "--dir", DATA_DIR];
  if (s.maxFile !== undefined) args.push("--max-file", s.maxFile);
  args.push("--max-disk", s.maxDisk);
  if (s.compress === false) args.push("--compress=false");
  if (s.redact !== undefined) args.push(s.redact === "" ? "--redact" : `--redact=${s.redact}`);
  args.push("--serve-capture");
  return args;
}

export function receiverPod(s: ReceiverSpec): Json {
  const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({ httpGet: { path, port: s.port }, initialDelaySeconds, periodSeconds });
  const spec: Json = {
    containers: [
      {
        name: RECEIVER_CONTAINER,
        image: s.image,
        args: receiverArgs(s),
        // From the Secret, not the args: whoever may read the pod must not learn the token from it.
        env: [{ name: CAPTURE_TOKEN_ENV, valueFrom: { secretKeyRef: { name: RECEIVER_NAME, key: TOKEN_KEY } } }],
        ports: [{ containerPort: s.port, protocol: "TCP" }],
        livenessProbe: probe("/healthz", 5, 10),
        readinessProbe: probe("/readyz", 2, 5),
        volumeMounts: [{ name: "data", mountPath: DATA_DIR }],
      },
    ],
    volumes: [{ name: "data", emptyDir: {} }],
    restartPolicy: "Never",
  };
  if (s.activeDeadlineSeconds) spec.activeDeadlineSeconds = s.activeDeadlineSeconds;
  return { apiVersion: "v1", kind: "Pod", metadata: { name: RECEIVER_NAME, namespace: s.namespace, labels: { ...RECEIVER_LABELS } }, spec };
}

/** What `tap --target` takes to reach the receiver from inside the cluster. */
export function receiverTarget(namespace: string, port: number): string {
  return `${RECEIVER_NAME}.${namespace}.svc.cluster.local:${port}`;
}
