/**
 * Authentication as kube-apiserver does it, for the methods the stand-in offers: a client certificate signed by the
 * cluster's CA (CN = user, O = groups), else a bearer token (the test's token table, tokens issued through
 * serviceaccounts/<name>/token, or a service-account token Secret). Every authenticated user is also in
 * system:authenticated; service accounts are `system:serviceaccount:<ns>:<name>` in system:serviceaccounts and
 * system:serviceaccounts:<ns>. The real union authenticator tries x509 first, so a valid certificate wins over any
 * Authorization header; without one, a bad or unknown token is a 401, as no credentials are.
 */

import { randomBytes } from "node:crypto";
import type { StandInStore } from "./contract.ts";

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
}

export interface PeerCertificateLike {
  subject?: { CN?: string | string[]; O?: string | string[] };
}

export interface IssuedToken {
  user: UserInfo;
  expires: number;
  /** Bound to this service account's uid: the token dies with the account. */
  serviceAccountUid?: string;
  audiences: string[];
}

export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  return { name: `system:serviceaccount:${namespace}:${name}`, groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`], uid };
}

function withAuthenticated(u: UserInfo): UserInfo {
  const groups = [...u.groups];
  if (!groups.includes("system:authenticated")) groups.push("system:authenticated");
  return { ...u, groups };
}

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export class Authenticator {
  private tokens = new Map<string, UserInfo>();
  private issued = new Map<string, IssuedToken>();

  constructor(private readonly store: StandInStore) {}

  /** A static token (kube-apiserver's --token-auth-file) for an identity; replaces an earlier entry. */
  addToken(token: string, user: { name: string; groups?: string[]; uid?: string }): void {
    this.tokens.set(token, { name: user.name, groups: user.groups ?? [], uid: user.uid });
  }

  removeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** A bound token for a service account (TokenRequest), valid for `expirationSeconds` or until the account is deleted. */
  issueServiceAccountToken(namespace: string, name: string, uid: string, expirationSeconds: number, audiences: string[]): { token: string; expires: Date } {
    const token = `sat-${randomBytes(24).toString("hex")}`;
    const expires = Date.now() + expirationSeconds * 1000;
    this.issued.set(token, { user: serviceAccountUser(namespace, name, uid), expires, serviceAccountUid: uid, audiences });
    return { token, expires: new Date(expires) };
  }

  /** The identity for a request, or undefined (→ 401). `authorized` is the TLS layer's verdict on the client certificate. */
  authenticate(peer: { authorized: boolean; certificate?: PeerCertificateLike }, authorization: string | null): UserInfo | undefined {
    if (peer.authorized && peer.certificate?.subject) {
      const cn = asList(peer.certificate.subject.CN)[0];
      if (cn) return withAuthenticated({ name: cn, groups: asList(peer.certificate.subject.O) });
    }
    if (authorization) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!m) return undefined;
      const user = this.tokenUser(m[1]);
      return user && withAuthenticated(user);
    }
    return undefined;
  }

  /** TokenReview's view of a token. */
  tokenUser(token: string): UserInfo | undefined {
    const fixed = this.tokens.get(token);
    if (fixed) return fixed;
    const issued = this.issued.get(token);
    if (issued) {
      if (Date.now() > issued.expires) return undefined;
      const [, , ns, name] = issued.user.name.split(":");
      const sa = this.store.get(this.store.mustType("", "serviceaccounts"), ns, name);
      if (!sa || sa.metadata.uid !== issued.serviceAccountUid) return undefined;
      return issued.user;
    }
    return this.secretTokenUser(token);
  }

  /** Legacy service-account token Secrets (type kubernetes.io/service-account-token): valid while Secret and account exist. */
  private secretTokenUser(token: string): UserInfo | undefined {
    const encoded = Buffer.from(token).toString("base64");
    for (const s of this.store.list(this.store.mustType("", "secrets"), undefined).items) {
      if ((s as any).type !== "kubernetes.io/service-account-token" || (s as any).data?.token !== encoded) continue;
      const ns = s.metadata.namespace!;
      const saName = s.metadata.annotations?.["kubernetes.io/service-account.name"];
      if (!saName) continue;
      const sa = this.store.get(this.store.mustType("", "serviceaccounts"), ns, saName);
      if (!sa) continue;
      return serviceAccountUser(ns, saName, sa.metadata.uid);
    }
    return undefined;
  }
}
