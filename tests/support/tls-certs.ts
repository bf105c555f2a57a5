/** A throwaway CA and a server certificate for 127.0.0.1, made with the real openssl. */

import { join } from "node:path";
import { openssl } from "./openssl.ts";
import { tempDir } from "./receiver-process.ts";

export interface TestCerts {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  otherKey: string;
}

export function makeTestCerts(): TestCerts {
  const dir = tempDir("logtap-tls-");
  openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=logtap test CA");
  openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  Bun.write(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext");
  openssl(dir, "genpkey", "-algorithm", "RSA", "-out", "other.key");
  return { dir, caCert: join(dir, "ca.pem"), serverCert: join(dir, "server.pem"), serverKey: join(dir, "server.key"), otherKey: join(dir, "other.key") };
}
