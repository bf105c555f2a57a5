/** A kubeconfig as logtap holds it: named clusters, users and contexts, file paths already made absolute. */

export interface KubeCluster {
  name: string;
  server: string;
  caFile?: string;
  /** base64, as in the file. */
  caData?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  /** `extensions[name="client.authentication.k8s.io/exec"].extension`, handed to exec plugins with provideClusterInfo. */
  execExtension?: unknown;
}

export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode?: string;
}

export interface KubeUser {
  name: string;
  certFile?: string;
  /** base64, as in the file. */
  certData?: string;
  keyFile?: string;
  keyData?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  /** Legacy `auth-provider`: oidc's id-token is used as it stands; gcp and azure are gone from kubectl too. */
  authProvider?: { name: string; config: Record<string, string> };
  impersonate?: string;
  impersonateGroups?: string[];
  impersonateUid?: string;
}

export interface KubeContext {
  name: string;
  cluster: string;
  user?: string;
  namespace?: string;
}

export interface Kubeconfig {
  /** The files merged into this config, first wins; empty for none. */
  files: string[];
  clusters: Map<string, KubeCluster>;
  users: Map<string, KubeUser>;
  contexts: Map<string, KubeContext>;
  currentContext?: string;
}

export const emptyKubeconfig = (): Kubeconfig => ({ files: [], clusters: new Map(), users: new Map(), contexts: new Map() });
