/**
 * A small program for the program-*.test.ts tests to run as a container (its image mapped with `k.mapImage`): it
 * prints what it is told, shows its environment, talks to the API server the way a pod does (the in-cluster
 * service-account files and KUBERNETES_SERVICE_HOST/PORT), serves HTTP for probes and services, and reports the
 * signals it gets. Flags, in any order:
 *   --print TEXT          a line on stdout (repeatable)      --stderr TEXT   a line on stderr
 *   --env NAME            prints NAME=<value> (repeatable)   --argv          prints argv as JSON
 *   --pid                 prints `pid <its pid>`
 *   --list-pods           lists the pods of its namespace with its token: `pods: a,b` or `list pods: <code> <reason>`
 *   --fetch URL           GETs URL (https: with its service account's CA and token), prints `fetch URL: <code> <body>`
 *                         or `fetch URL: error <code>` (repeatable)
 *   --listen HOST:PORT    serves /healthz, /readyz (503 until --ready-after-ms has passed, or until POST /ready;
 *                         again after POST /unready), /env/NAME, /pods, /sibling-log/<container> (that container's
 *                         pods/log in its own pod, read with its token), POST /exit/<code>; `:PORT` binds every address
 *   --ready-after-ms N    see --listen                       --exit N        exits with N after the above
 *   --on-sigterm exit|ignore   exit 0 printing "got SIGTERM" (default), or print it and go on
 *   --marker FILE         appends each event (start, SIGTERM) to FILE
 * `pod-program prestop FILE` appends "prestop" to FILE and exits 0 (a preStop hook).
 */

import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";

const argv = process.argv.slice(2);
if (argv[0] === "prestop") {
  appendFileSync(argv[1], `prestop ${Date.now()}\n`);
  process.exit(0);
}

const flags = new Map<string, string[]>();
const BOOLEAN = new Set(["--argv", "--list-pods", "--pid"]);
for (let i = 0; i < argv.length; i++) {
  const f = argv[i];
  const v = BOOLEAN.has(f) ? "" : argv[++i];
  flags.set(f, [...(flags.get(f) ?? []), v]);
}
const one = (f: string) => flags.get(f)?.at(-1);
const marker = one("--marker");
const mark = (what: string) => marker && appendFileSync(marker, `${what} ${Date.now()}\n`);

function serviceAccountFile(name: string): string | undefined {
  try {
    return readFileSync(join(process.env.LOGTAP_TEST_SERVICEACCOUNT_DIR ?? "/var/run/secrets/kubernetes.io/serviceaccount", name), "utf8");
  } catch {
    return undefined;
  }
}

async function fetchText(url: string): Promise<string> {
  const token = serviceAccountFile("token");
  const https = url.startsWith("https:");
  try {
    const res = await fetch(url, { headers: https && token ? { authorization: `Bearer ${token}` } : {}, tls: https ? { ca: serviceAccountFile("ca.crt") } : undefined, signal: AbortSignal.timeout(10_000) } as RequestInit);
    return `fetch ${url}: ${res.status} ${(await res.text()).trim()}`;
  } catch (e) {
    return `fetch ${url}: error ${(e as any).code ?? (e as Error).message}`;
  }
}

async function listPods(): Promise<{ status: number; text: string }> {
  const dir = process.env.LOGTAP_TEST_SERVICEACCOUNT_DIR ?? "/var/run/secrets/kubernetes.io/serviceaccount";
  const token = readFileSync(join(dir, "token"), "utf8");
  const ca = readFileSync(join(dir, "ca.crt"), "utf8");
  const ns = readFileSync(join(dir, "namespace"), "utf8");
  const url = `https://${process.env.KUBERNETES_SERVICE_HOST}:${process.env.KUBERNETES_SERVICE_PORT}/api/v1/namespaces/${ns}/pods`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, tls: { ca } } as RequestInit);
  const body: any = await res.json();
  if (!res.ok) return { status: res.status, text: `list pods: ${res.status} ${body.reason}` };
  return { status: 200, text: `pods: ${body.items.map((p: any) => p.metadata.name).sort().join(",")}` };
}

mark("start");
for (const line of flags.get("--print") ?? []) console.log(line);
for (const line of flags.get("--stderr") ?? []) console.error(line);
for (const name of flags.get("--env") ?? []) console.log(`${name}=${process.env[name] ?? "<unset>"}`);
if (flags.has("--argv")) console.log(`argv ${JSON.stringify(process.argv.slice(2))}`);
if (flags.has("--pid")) console.log(`pid ${process.pid}`);
if (flags.has("--list-pods")) console.log((await listPods()).text);
for (const url of flags.get("--fetch") ?? []) console.log(await fetchText(url));

process.on("SIGTERM", () => {
  console.log("got SIGTERM");
  mark("SIGTERM");
  if (one("--on-sigterm") !== "ignore") process.exit(0);
});

const listen = one("--listen");
if (listen) {
  const colon = listen.lastIndexOf(":");
  const host = listen.slice(0, colon) || "0.0.0.0";
  let readyAt = one("--ready-after-ms") !== undefined ? Date.now() + Number(one("--ready-after-ms")) : Infinity;
  let ready = readyAt === Infinity ? true : false;
  Bun.serve({
    hostname: host,
    port: Number(listen.slice(colon + 1)),
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/healthz") return new Response("ok");
      if (path === "/readyz") return ready || Date.now() >= readyAt ? new Response("ready") : new Response("not ready", { status: 503 });
      if (path === "/ready" && req.method === "POST") return (ready = true), new Response("ok");
      if (path === "/unready" && req.method === "POST") return (ready = false), (readyAt = Infinity), new Response("ok");
      if (path.startsWith("/env/")) return new Response(process.env[path.slice(5)] ?? "");
      if (path === "/pods") {
        const r = await listPods();
        return new Response(r.text, { status: r.status });
      }
      if (path.startsWith("/sibling-log/")) {
        const ns = serviceAccountFile("namespace");
        const api = `https://${process.env.KUBERNETES_SERVICE_HOST}:${process.env.KUBERNETES_SERVICE_PORT}`;
        const res = await fetch(`${api}/api/v1/namespaces/${ns}/pods/${process.env.HOSTNAME}/log?container=${path.slice(13)}`, { headers: { authorization: `Bearer ${serviceAccountFile("token")}` }, tls: { ca: serviceAccountFile("ca.crt") } } as RequestInit);
        return new Response(await res.text(), { status: res.status });
      }
      const exit = /^\/exit\/(\d+)$/.exec(path);
      if (exit && req.method === "POST") setTimeout(() => process.exit(Number(exit[1])), 10);
      if (exit) return new Response("bye");
      return new Response("not found", { status: 404 });
    },
  });
  console.log(`listening on ${listen}`);
}

if (one("--exit") !== undefined) process.exit(Number(one("--exit")));
// Keep running (a server, or a container that only printed) until told otherwise.
if (!listen) setInterval(() => {}, 1 << 30);
