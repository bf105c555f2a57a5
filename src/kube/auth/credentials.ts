/**
 * Who we are to the API server, per request: the headers (bearer token, basic auth, impersonation) and a client
 * certificate when an exec plugin returns one. Tokens from files are re-read once a minute (a pod's projected
 * token rotates, client-go re-reads it likewise); after a 401, exec and file credentials are fetched afresh once.
 */

import { KubeError } from "../errors/kube-error.ts";
import type { KubeCluster, KubeUser } from "../kubeconfig/types.ts";
import { readReferencedFile } from "../transport/tls-material.ts";
import { ExecPlugin, type ExecPluginOptions } from "./exec-plugin.ts";

const TOKEN_FILE_TTL_MS = 60_000;

export interface RequestAuth {
  /** Pairs, not a record: Impersonate-Group may repeat. */
  headers: [string, string][];
  /** From an exec plugin; replaces the kubeconfig's client certificate for this request. */
  cert?: string;
  key?: string;
}

export class Credentials {
  private readonly plugin: ExecPlugin | undefined;
  private fileToken: { token: string; readAt: number } | undefined;

  constructor(
    private readonly user: KubeUser,
    cluster: KubeCluster,
    pluginOptions: Omit<ExecPluginOptions, "cluster">,
  ) {
    const provider = user.authProvider?.name;
    if (provider && provider !== "oidc" && !user.token && !user.tokenFile && !user.exec) {
      throw new KubeError(
        `user "${user.name}" uses the auth-provider "${provider}", which kubectl dropped in 1.26: use its exec credential plugin instead (gke-gcloud-auth-plugin, kubelogin)`,
        "config",
      );
    }
    this.plugin = user.exec && !user.token && !user.tokenFile ? new ExecPlugin(user.exec, { ...pluginOptions, cluster }) : undefined;
  }

  async forRequest(signal?: AbortSignal): Promise<RequestAuth> {
    const u = this.user;
    const headers: [string, string][] = [];
    const auth: RequestAuth = { headers };
    const token = u.token ?? this.tokenFromFile() ?? u.authProvider?.config["id-token"];
    if (token !== undefined) headers.push(["Authorization", `Bearer ${token.trim()}`]);
    else if (this.plugin) {
      const c = await this.plugin.credential(signal);
      if (c.token) headers.push(["Authorization", `Bearer ${c.token}`]);
      auth.cert = c.cert;
      auth.key = c.key;
    } else if (u.username !== undefined) headers.push(["Authorization", `Basic ${Buffer.from(`${u.username}:${u.password ?? ""}`).toString("base64")}`]);
    if (u.impersonate) headers.push(["Impersonate-User", u.impersonate]);
    for (const g of u.impersonateGroups ?? []) headers.push(["Impersonate-Group", g]);
    if (u.impersonateUid) headers.push(["Impersonate-Uid", u.impersonateUid]);
    return auth;
  }

  /** After a 401: true when fetching the credential again may help (exec plugin, token file). */
  refresh(): boolean {
    if (this.plugin) {
      this.plugin.invalidate();
      return true;
    }
    if (this.user.tokenFile && this.user.token === undefined) {
      this.fileToken = undefined;
      return true;
    }
    return false;
  }

  private tokenFromFile(): string | undefined {
    const file = this.user.tokenFile;
    if (!file || this.user.token !== undefined) return undefined;
    const now = Date.now();
    if (!this.fileToken || now - this.fileToken.readAt > TOKEN_FILE_TTL_MS) {
      this.fileToken = { token: readReferencedFile(file, `token-file of user "${this.user.name}"`).trim(), readAt: now };
    }
    return this.fileToken.token;
  }
}
