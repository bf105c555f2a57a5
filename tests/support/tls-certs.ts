/** A throwaway CA and a server certificate for 127.0.0.1, made with the real openssl. */

import { join } from "node:path";
import { tempDir } from "./receiver-process.ts";

export interface TestCerts {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  otherKey: string;
}

function sh(cwd: string, ...args: string[]): void {
  const r = Bun.spawnSync(["openssl", ...args], { cwd, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`);
}

export function makeTestCerts(): TestCerts {
  const dir = tempDir("logtap-tls-");
  sh(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=logtap test CA");
  sh(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  Bun.write(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  sh(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext");
  sh(dir, "genpkey", "-algorithm", "RSA", "-out", "other.key");
  return { dir, caCert: join(dir, "ca.pem"), serverCert: join(dir, "server.pem"), serverKey: join(dir, "server.key"), otherKey: join(dir, "other.key") };
}
