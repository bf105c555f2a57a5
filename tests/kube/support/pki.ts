/**
 * A throwaway PKI made with the real openssl: a cluster CA, a server certificate for 127.0.0.1/localhost, one
 * only for the name kube.internal (tls-server-name), a client certificate (CN = user, O = group) and a second,
 * unrelated CA whose certificates the server must refuse.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openssl } from "../../support/openssl.ts";
import { tempDir } from "../../support/receiver-process.ts";

// EC keys: RSA key generation takes seconds on a loaded two-core machine.
const NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export interface Pki {
  dir: string;
  caFile: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  /** Valid for DNS:kube.internal only. */
  namedCert: string;
  namedKey: string;
  clientCertFile: string;
  clientKeyFile: string;
  clientCert: string;
  clientKey: string;
  /** Signed by a CA the server does not trust. */
  strangerCert: string;
  strangerKey: string;
  otherCa: string;
}

function leaf(dir: string, name: string, subj: string, ca: string, ext?: string): void {
  openssl(dir, "req", ...NEW_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj);
  const extArgs = ext ? (writeFileSync(join(dir, `${name}.ext`), ext), ["-extfile", `${name}.ext`]) : [];
  openssl(dir, "x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", ...extArgs);
}

let cached: Pki | undefined;

/** One PKI per test process: key generation is the slow part. */
export function pki(): Pki {
  if (cached) return cached;
  const dir = tempDir("logtap-kube-pki-");
  openssl(dir, "req", "-x509", ...NEW_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=logtap test cluster CA");
  leaf(dir, "server", "/CN=127.0.0.1", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  leaf(dir, "named", "/CN=kube.internal", "ca", "subjectAltName=DNS:kube.internal\n");
  leaf(dir, "client", "/CN=alice/O=devs", "ca", "extendedKeyUsage=clientAuth\n");
  openssl(dir, "req", "-x509", ...NEW_KEY, "-keyout", "foreign-ca.key", "-out", "foreign-ca.pem", "-days", "2", "-subj", "/CN=some other CA");
  leaf(dir, "stranger", "/CN=mallory", "foreign-ca");
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  cached = {
    dir,
    caFile: join(dir, "ca.pem"),
    ca: read("ca.pem"),
    serverCert: read("server.pem"),
    serverKey: read("server.key"),
    namedCert: read("named.pem"),
    namedKey: read("named.key"),
    clientCertFile: join(dir, "client.pem"),
    clientKeyFile: join(dir, "client.key"),
    clientCert: read("client.pem"),
    clientKey: read("client.key"),
    strangerCert: read("stranger.pem"),
    strangerKey: read("stranger.key"),
    otherCa: read("foreign-ca.pem"),
  };
  return cached;
}

export const b64 = (s: string) => Buffer.from(s).toString("base64");
