/**
 * One kubeconfig file → Kubeconfig. Relative file references (certificate-authority, client-certificate,
 * client-key, token-file, an exec command with a slash) are relative to the file that holds them, as in kubectl.
 * Nothing referenced is read here: a stale user entry with a missing token file only fails if it is used.
 */

import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { KubeError } from "../errors/kube-error.ts";
import { EXIT } from "../../common/errors.ts";
import { emptyKubeconfig, type ExecConfig, type KubeCluster, type Kubeconfig, type KubeContext, type KubeUser } from "./types.ts";

type Obj = Record<string, unknown>;

export function readKubeconfigFile(path: string): Kubeconfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new KubeError(`kubeconfig ${path}: no such file`, "missing-file");
    if (code === "EACCES") throw new KubeError(`kubeconfig ${path}: permission denied`, "config", EXIT.permission);
    throw new KubeError(`kubeconfig ${path}: ${(e as Error).message}`, "config");
  }
  return parseKubeconfig(text, path);
}

export function parseKubeconfig(text: string, path: string): Kubeconfig {
  let doc: unknown;
  try {
    doc = text.trim() === "" ? {} : Bun.YAML.parse(text);
  } catch (e) {
    throw new KubeError(`kubeconfig ${path}: invalid YAML: ${(e as Error).message.split("\n")[0]}`, "config");
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new KubeError(`kubeconfig ${path}: not a kubeconfig (expected a mapping)`, "config");
  const root = doc as Obj;
  const dir = dirname(resolve(path));
  const abs = (p: unknown) => (typeof p === "string" && p !== "" ? (isAbsolute(p) ? p : resolve(dir, p)) : undefined);
  const bad = (what: string) => new KubeError(`kubeconfig ${path}: ${what}`, "config");
  const config = emptyKubeconfig();
  config.files = [path];

  for (const [, e] of namedList(root.clusters, "clusters", bad)) {
    const c = obj(e.cluster);
    const server = str(c.server);
    config.clusters.set(e.name, {
      name: e.name,
      server: server?.replace(/\/+$/, "") ?? "",
      caFile: abs(c["certificate-authority"]),
      caData: str(c["certificate-authority-data"]),
      insecureSkipTlsVerify: c["insecure-skip-tls-verify"] === true,
      tlsServerName: str(c["tls-server-name"]),
      proxyUrl: str(c["proxy-url"]),
      execExtension: extension(c.extensions, "client.authentication.k8s.io/exec"),
    } satisfies KubeCluster);
  }
  for (const [, e] of namedList(root.users, "users", bad)) {
    const u = obj(e.user);
    config.users.set(e.name, {
      name: e.name,
      certFile: abs(u["client-certificate"]),
      certData: str(u["client-certificate-data"]),
      keyFile: abs(u["client-key"]),
      keyData: str(u["client-key-data"]),
      token: str(u.token),
      tokenFile: abs(u["token-file"]),
      username: str(u.username),
      password: str(u.password),
      exec: u.exec === undefined || u.exec === null ? undefined : execConfig(obj(u.exec), dir, () => bad(`users "${e.name}": exec has no command`)),
      authProvider: u["auth-provider"] ? authProvider(obj(u["auth-provider"])) : undefined,
      impersonate: str(u.as),
      impersonateGroups: Array.isArray(u["as-groups"]) ? u["as-groups"].map(String) : undefined,
      impersonateUid: str(u["as-uid"]),
    } satisfies KubeUser);
  }
  for (const [, e] of namedList(root.contexts, "contexts", bad)) {
    const c = obj(e.context);
    config.contexts.set(e.name, {
      name: e.name,
      cluster: str(c.cluster) ?? "",
      user: str(c.user),
      namespace: str(c.namespace),
    } satisfies KubeContext);
  }
  config.currentContext = str(root["current-context"]);
  return config;
}

/** `[{name, <payload>}]` with the names checked: client-go refuses a name twice in one file. */
function* namedList(v: unknown, key: string, bad: (w: string) => KubeError): Generator<[number, Obj & { name: string }]> {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) throw bad(`${key} must be a list`);
  const seen = new Set<string>();
  for (const [i, e] of v.entries()) {
    const entry = obj(e);
    const name = str(entry.name);
    if (!name) throw bad(`${key}[${i}] has no name`);
    if (seen.has(name)) throw bad(`duplicate name "${name}" in ${key}`);
    seen.add(name);
    yield [i, { ...entry, name }];
  }
}

function execConfig(e: Obj, dir: string, noCommand: () => KubeError): ExecConfig {
  const command = str(e.command);
  if (!command) throw noCommand();
  return {
    // A bare name is looked up on PATH; a path with a slash is relative to the kubeconfig (client-go).
    command: command.includes("/") && !isAbsolute(command) ? resolve(dir, command) : command,
    args: Array.isArray(e.args) ? e.args.map(String) : [],
    env: Array.isArray(e.env) ? e.env.map((x) => ({ name: String(obj(x).name ?? ""), value: String(obj(x).value ?? "") })) : [],
    apiVersion: str(e.apiVersion) ?? "",
    installHint: str(e.installHint),
    provideClusterInfo: e.provideClusterInfo === true,
    interactiveMode: str(e.interactiveMode),
  };
}

function authProvider(a: Obj): { name: string; config: Record<string, string> } {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(a.config))) if (typeof v === "string") config[k] = v;
  return { name: str(a.name) ?? "", config };
}

function extension(v: unknown, name: string): unknown {
  if (!Array.isArray(v)) return undefined;
  return v.map(obj).find((x) => x.name === name)?.extension;
}

const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
