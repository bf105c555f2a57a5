/**
 * The stand-in's own certificate authority, made with the real openssl (already a test peer): a CA, the API
 * server's serving certificate for 127.0.0.1/localhost (and the in-cluster names), and client certificates whose
 * subject is the identity, as kube-apiserver's x509 authenticator reads it: CN = user name, each O = a group.
 *
 * tests/support/tls-certs.ts makes a fixed RSA CA and server pair for the receiver's tests; this needs client
 * certificates per identity, so it has its own small maker (EC P-256 keys: one openssl call per certificate, ~10 ms).
 */

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openssl } from "../support/openssl.ts";

export interface KeyPair {
  /** PEM. */
  cert: string;
  /** PEM (PKCS#8). */
  key: string;
}

/** `/CN=alice/O=dev/O=ops`, with the characters openssl's -subj treats specially escaped. */
function subject(cn: string, orgs: string[]): string {
  const esc = (s: string) => s.replace(/[\\/,+=<>#;"]/g, (c) => `\\${c}`);
  return `/CN=${esc(cn)}${orgs.map((o) => `/O=${esc(o)}`).join("")}`;
}

export class CertificateAuthority {
  readonly dir: string;
  readonly caCert: string;
  readonly server: KeyPair;
  private serial = 0;

  private constructor(dir: string) {
    this.dir = dir;
    openssl(
      dir,
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650", "-subj", "/CN=logtap-stand-in-ca",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
    );
    this.caCert = readFileSync(join(dir, "ca.pem"), "utf8");
    this.server = this.issue("server", "kube-apiserver", [], {
      extendedKeyUsage: "serverAuth",
      subjectAltName: "IP:127.0.0.1,IP:::1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local",
    });
  }

  /** A new CA in `dir` (a fresh temporary directory when not given). */
  static create(dir?: string): CertificateAuthority {
    return new CertificateAuthority(dir ?? mkdtempSync(join(tmpdir(), "logtap-stand-in-ca-")));
  }

  /** A client certificate for `user` in `groups` (the API server adds system:authenticated itself). */
  issueClient(user: string, groups: string[] = []): KeyPair {
    return this.issue("client", user, groups, { extendedKeyUsage: "clientAuth" });
  }

  private issue(prefix: string, cn: string, orgs: string[], ext: Record<string, string>): KeyPair {
    const base = `${prefix}-${++this.serial}`;
    const args = [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", `${base}.key`, "-out", `${base}.pem`, "-days", "365", "-subj", subject(cn, orgs),
      "-CA", "ca.pem", "-CAkey", "ca.key", "-addext", "basicConstraints=CA:FALSE",
    ];
    for (const [k, v] of Object.entries(ext)) args.push("-addext", `${k}=${v}`);
    openssl(this.dir, ...args);
    return { cert: readFileSync(join(this.dir, `${base}.pem`), "utf8"), key: readFileSync(join(this.dir, `${base}.key`), "utf8") };
  }

  /** Writes the CA certificate to a file and returns its path (for curl --cacert and the like). */
  caFile(): string {
    const p = join(this.dir, "ca.pem");
    writeFileSync(p, this.caCert);
    return p;
  }
}
