/**
 * The TLS half of a kubeconfig as Bun's fetch takes it (`tls: {ca, cert, key, rejectUnauthorized, serverName}`):
 * client-node hands these to an undici dispatcher that Bun's fetch ignores (oven-sh/bun#19754), so they are read
 * here and given to fetch directly. Files are read once, when connecting, as kubectl does.
 */

import { readFileSync } from "node:fs";
import { EXIT } from "../../common/errors.ts";
import { KubeError } from "../errors/kube-error.ts";
import type { KubeCluster, KubeUser } from "../kubeconfig/types.ts";

export interface TlsMaterial {
  /** PEM; undefined = the system's trusted CAs. */
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  /** SNI and the name the server's certificate must carry (tls-server-name). */
  serverName?: string;
}

export function tlsMaterial(cluster: KubeCluster, user: KubeUser): TlsMaterial {
  const ca = pem(cluster.caData, cluster.caFile, `certificate-authority of cluster "${cluster.name}"`);
  const cert = pem(user.certData, user.certFile, `client-certificate of user "${user.name}"`);
  const key = pem(user.keyData, user.keyFile, `client-key of user "${user.name}"`);
  if ((cert === undefined) !== (key === undefined)) {
    throw new KubeError(`user "${user.name}" has a client ${cert ? "certificate but no key" : "key but no certificate"}`, "config");
  }
  return {
    // insecure-skip-tls-verify turns verification off; a CA beside it would then mean nothing.
    ca: cluster.insecureSkipTlsVerify ? undefined : ca,
    cert,
    key,
    rejectUnauthorized: !cluster.insecureSkipTlsVerify,
    serverName: cluster.tlsServerName,
  };
}

/** `*-data` (base64) wins over the file, as in client-go. */
function pem(data: string | undefined, file: string | undefined, what: string): string | undefined {
  if (data) return Buffer.from(data, "base64").toString("utf8");
  if (!file) return undefined;
  return readReferencedFile(file, what);
}

export function readReferencedFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new KubeError(`${what}: ${file}: no such file`, "missing-file");
    if (code === "EACCES") throw new KubeError(`${what}: ${file}: permission denied`, "config", EXIT.permission);
    throw new KubeError(`${what}: ${file}: ${(e as Error).message.split("\n")[0]}`, "config");
  }
}
