/**
 * `npm run kube-stand-in -- --kubeconfig FILE [--user NAME] [--group G]... [--namespace NS] [--version v1.31.0]
 * [--port N] [--no-controllers] [--map-image PATTERN=COMMAND]...`: starts the stand-in cluster on a loopback port, writes a kubeconfig for it (its
 * own CA; a client certificate for the identity — by default user "admin" in system:masters), prints exactly one
 * line `ready <url>` on stdout once it answers, and runs until SIGTERM or SIGINT. Everything else goes to stderr.
 * `--map-image 'ghcr.io/ppiankov/logtap:*=dist/logtap'` makes containers of matching images run that local program
 * (words split at spaces; kubelet/program-images.ts).
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { StandInComponent } from "./contract.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { StandIn } from "./stand-in.ts";

interface Args {
  kubeconfig?: string;
  user: string;
  groups: string[];
  namespace: string;
  version?: string;
  port: number;
  controllers: boolean;
  images: { pattern: string; command: string[] }[];
}

const USAGE = "usage: kube-stand-in --kubeconfig FILE [--user NAME] [--group G]... [--namespace NS] [--version v1.31.0] [--port N] [--no-controllers] [--map-image PATTERN=COMMAND]...";

function parseArgs(argv: string[]): Args {
  const a: Args = { user: "admin", groups: [], namespace: "default", port: 0, controllers: true, images: [] };
  let groupsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case "--kubeconfig":
        a.kubeconfig = value();
        break;
      case "--user":
        a.user = value();
        break;
      case "--group":
        a.groups.push(value());
        groupsGiven = true;
        break;
      case "--namespace":
      case "-n":
        a.namespace = value();
        break;
      case "--version":
        a.version = value();
        break;
      case "--port":
        a.port = Number(value());
        break;
      case "--no-controllers":
        a.controllers = false;
        break;
      case "--map-image": {
        // The value has an `=` of its own: the flag's inline form was split at the first one.
        const v = inline !== undefined ? inline : value();
        const eq = v.indexOf("=");
        const command = eq > 0 ? v.slice(eq + 1).trim().split(/\s+/).filter(Boolean) : [];
        if (!command.length) throw new Error(`--map-image needs PATTERN=COMMAND, got "${v}"\n${USAGE}`);
        a.images.push({ pattern: v.slice(0, eq), command });
        break;
      }
      case "-h":
      case "--help":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      default:
        throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  if (!a.kubeconfig) throw new Error(`--kubeconfig is required\n${USAGE}`);
  if (!groupsGiven && a.user === "admin") a.groups = ["system:masters"];
  return a;
}

/** The controller and kubelet parts, when present: each index exports a factory returning one component or several. */
async function optionalComponents(): Promise<StandInComponent[]> {
  const out: StandInComponent[] = [];
  for (const [file, factory] of [
    ["controllers/index.ts", "createControllers"],
    ["kubelet/index.ts", "createKubelet"],
  ] as const) {
    const path = join(import.meta.dir, file);
    if (!existsSync(path)) continue;
    const mod = await import(path);
    if (typeof mod[factory] !== "function") {
      process.stderr.write(`kube-stand-in: ${file} exports no ${factory}(); not attached\n`);
      continue;
    }
    const made = await mod[factory]();
    out.push(...(Array.isArray(made) ? made : [made]));
  }
  return out;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`kube-stand-in: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const components = args.controllers ? await optionalComponents() : [];
  const k = new StandIn({ version: args.version, components });
  for (const i of args.images) k.mapImage(i.pattern, { command: i.command });
  await k.start(args.port);
  const pair = k.clientCertificate(args.user, args.groups);
  writeKubeconfig(args.kubeconfig!, { server: k.url, caCert: k.ca.caCert, userName: args.user, cert: pair.cert, key: pair.key, namespace: args.namespace });
  // Ready means answering: one real request over TLS with the identity just written.
  const res = await fetch(`${k.url}/readyz`, { tls: { ca: k.ca.caCert, cert: pair.cert, key: pair.key } } as RequestInit);
  if (!res.ok) throw new Error(`the stand-in does not answer /readyz: ${res.status}`);
  process.stderr.write(
    `kube-stand-in: serving ${k.url} as user "${args.user}"${args.groups.length ? ` (groups ${args.groups.join(", ")})` : ""}; kubeconfig ${args.kubeconfig}; components: ${["garbage-collector", "namespace-lifecycle", ...components.map((c) => c.name)].join(", ")}\n`,
  );
  process.stdout.write(`ready ${k.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await k.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

await main();
