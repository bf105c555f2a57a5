/**
 * The forwarder's configuration: environment only (§23.1), so our tap works with upstream's image and upstream's
 * tap with ours. Required variables missing (or empty, as Go's os.Getenv sees them) give upstream's message; numbers
 * are read as Go's strconv.Atoi reads them, with its error text. Ours on top, each with a default that keeps
 * upstream's behaviour: LOGTAP_PUSH_FORMAT and LOGTAP_HEALTH_ADDR (docs/kubernetes.md, "The forwarder").
 */

import type { PushFormat } from "../src/forward/push-batch.ts";
import { FORWARDER_HEALTH_PORT } from "../src/kube/tap/forwarder-defaults.ts";
import { parseListen, type ListenAddress } from "../src/recv/listen-address.ts";

export const DEFAULT_BUFFER_SIZE = 1_048_576;
export const DEFAULT_RETRY_MAX = 10;
/** §23.4's `:9091` (the port tap's liveness probe names), every interface: the kubelet probes the pod's IP. */
export const DEFAULT_HEALTH_ADDR = `:${FORWARDER_HEALTH_PORT}`;

export interface ForwarderEnv {
  /** The receiver's base URL: `host:port` becomes `http://host:port`. */
  target: string;
  session: string;
  podName: string;
  namespace: string;
  bufferSize: number;
  retryMax: number;
  tlsSkipVerify: boolean;
  format: PushFormat;
  /** Where the health server listens; port 0 takes any free port (tests). */
  health: ListenAddress;
}

/** A configuration error: printed as is, exit 1. */
export class ForwarderEnvError extends Error {}

const REQUIRED = ["LOGTAP_TARGET", "LOGTAP_SESSION", "LOGTAP_POD_NAME", "LOGTAP_NAMESPACE"] as const;

/** strconv.Atoi: optional sign, decimal digits, within int64. */
function atoi(name: string, text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new ForwarderEnvError(`invalid ${name}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new ForwarderEnvError(`invalid ${name}: strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

/** A positive integer, or the default when unset or ≤ 0 (§23.1). */
function positive(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name];
  if (!text) return fallback;
  const n = atoi(name, text);
  return n > 0 ? n : fallback;
}

function pushFormat(text: string | undefined): PushFormat {
  if (!text || text === "protobuf") return "protobuf";
  if (text === "json") return "json";
  throw new ForwarderEnvError(`invalid LOGTAP_PUSH_FORMAT ${JSON.stringify(text)}: must be protobuf or json`);
}

function healthAddr(text: string | undefined): ListenAddress {
  try {
    return parseListen(text || DEFAULT_HEALTH_ADDR);
  } catch {
    throw new ForwarderEnvError(`invalid LOGTAP_HEALTH_ADDR ${JSON.stringify(text)}: expected host:port or :port`);
  }
}

export function targetUrl(target: string): string {
  return target.startsWith("http://") || target.startsWith("https://") ? target : `http://${target}`;
}

export function readForwarderEnv(env: Record<string, string | undefined>): ForwarderEnv {
  for (const name of REQUIRED) if (!env[name]) throw new ForwarderEnvError(`required env var ${name} not set`);
  const skip = env.LOGTAP_TLS_SKIP_VERIFY;
  return {
    target: targetUrl(env.LOGTAP_TARGET!),
    session: env.LOGTAP_SESSION!,
    podName: env.LOGTAP_POD_NAME!,
    namespace: env.LOGTAP_NAMESPACE!,
    bufferSize: positive(env, "LOGTAP_BUFFER_SIZE", DEFAULT_BUFFER_SIZE),
    retryMax: positive(env, "LOGTAP_RETRY_MAX", DEFAULT_RETRY_MAX),
    tlsSkipVerify: skip === "1" || skip === "true",
    format: pushFormat(env.LOGTAP_PUSH_FORMAT),
    health: healthAddr(env.LOGTAP_HEALTH_ADDR),
  };
}
