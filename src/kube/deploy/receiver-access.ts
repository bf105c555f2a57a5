/**
 * Reaching a receiver that deploy or recv --in-cluster made: its token from the Secret, its port from the Service,
 * and the capture through services/proxy. So a pull can be resumed from any machine whose user may read that
 * Secret — the same right that guards the capture.
 */

import { NotFoundError } from "../../common/errors.ts";
import type { Cluster } from "../connect.ts";
import { isNotFound } from "../errors/kube-error.ts";
import { withContext } from "../workloads/wrap-error.ts";
import type { CaptureRemote } from "../pull/capture-remote.ts";
import { serviceRemote } from "../pull/service-remote.ts";
import { RECEIVER_NAME, TOKEN_KEY } from "./receiver-objects.ts";
import { objectPath } from "./receiver-paths.ts";

interface Secret {
  data?: Record<string, string>;
}

interface Service {
  spec?: { ports?: { port: number }[] };
}

export async function receiverRemote(cluster: Cluster, namespace: string, signal?: AbortSignal): Promise<CaptureRemote> {
  const read = async <T>(kind: "secrets" | "services"): Promise<T> => {
    try {
      return await cluster.request<T>({ path: objectPath(namespace, kind), signal });
    } catch (e) {
      if (isNotFound(e)) throw new NotFoundError(`no logtap receiver in namespace "${namespace}": ${(e as Error).message} (deploy one with logtap deploy or logtap recv --in-cluster)`);
      throw withContext(`read the receiver's ${kind === "secrets" ? "token" : "service"}`, e);
    }
  };
  const secret = await read<Secret>("secrets");
  const token = secret.data?.[TOKEN_KEY];
  if (!token) throw new NotFoundError(`secret ${namespace}/${RECEIVER_NAME} has no ${TOKEN_KEY}: not a receiver logtap deployed`);
  const port = (await read<Service>("services")).spec?.ports?.[0]?.port;
  if (!port) throw new NotFoundError(`service ${namespace}/${RECEIVER_NAME} has no port`);
  return serviceRemote(cluster, namespace, RECEIVER_NAME, port, Buffer.from(token, "base64").toString("utf8"));
}
