import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "bun";
import { primaryTarget, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { lokiJson, push } from "../support/loki-bodies.ts";
import { waitFor } from "../support/wait-for.ts";
import { streamText } from "../support/stream-text.ts";
import { loadConfig, configFlags } from "../../src/config/load-config.ts";
import { CONFIG_KEYS } from "../../src/config/config-keys.ts";

function home(yaml: string): string {
  const h = tempDir("logtap-home-");
  mkdirSync(join(h, ".logtap"));
  writeFileSync(join(h, ".logtap", "config.yaml"), yaml);
  return h;
}

describe("configuration files and environment (upstream §24)", () => {
  test("layers: home file, then ./.logtap.yaml, then environment; flags win over all", () => {
    const h = home("recv:\n  addr: 127.0.0.1:4000\n  dir: /home-dir\n  disk_cap: 1GB\n");
    const cwd = tempDir();
    writeFileSync(join(cwd, ".logtap.yaml"), "recv:\n  dir: /local-dir\n  redact_patterns: p.yaml\n");
    const c = loadConfig({ paths: [join(h, ".logtap", "config.yaml"), join(cwd, ".logtap.yaml")], env: { LOGTAP_RECV_DISK_CAP: "2GB", LOGTAP_RECV_REDACT_PATTERNS: "env.yaml" } });
    expect(Object.fromEntries(c.values)).toEqual({ "recv.addr": "127.0.0.1:4000", "recv.dir": "/local-dir", "recv.disk_cap": "2GB", "recv.redact_patterns": "env.yaml" });
    const known = new Set(["listen", "dir", "max-disk", "redact-patterns", "timeout"]);
    expect(configFlags("recv", c, known, new Set(["dir"]))).toEqual(["--listen=127.0.0.1:4000", "--max-disk=2GB", "--redact-patterns=env.yaml"]);
  });

  test("tap keys reach tap's own flags and never recv's (upstream's Q18)", () => {
    const c = loadConfig({ paths: [], env: { LOGTAP_TAP_NAMESPACE: "payments", LOGTAP_TAP_CPU: "50m", LOGTAP_TAP_MEMORY: "32Mi", LOGTAP_TIMEOUT: "45s" } });
    expect(configFlags("recv", c, new Set(["namespace", "timeout"]), new Set())).toEqual(["--timeout=45s"]);
    expect(configFlags("tap", c, new Set(["namespace", "sidecar-cpu", "sidecar-memory", "timeout"]), new Set())).toEqual([
      "--namespace=payments",
      "--sidecar-cpu=50m",
      "--sidecar-memory=32Mi",
      "--timeout=45s",
    ]);
  });

  test("unknown keys warn by name; a YAML syntax error is an error (exit 2), not ignored", async () => {
    const h = home("recv:\n  addr: 127.0.0.1:0\n  colour: blue\n");
    const r = await runCli(["version"], { env: { HOME: h } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('unknown configuration key "recv.colour"');
    const bad = home("recv: [unclosed\n");
    const e = await runCli(["version"], { env: { HOME: bad } });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/^error: .*config\.yaml: invalid YAML/);
  });

});

/** §24's environment variables, written out from the spec. */
const SPEC_ENV_KEYS = [
  "LOGTAP_RECV_ADDR",
  "LOGTAP_RECV_DIR",
  "LOGTAP_RECV_DISK_CAP",
  "LOGTAP_RECV_REDACT",
  "LOGTAP_RECV_REDACT_PATTERNS",
  "LOGTAP_RECV_WEBHOOKS",
  "LOGTAP_RECV_WEBHOOK_EVENTS",
  "LOGTAP_TAP_NAMESPACE",
  "LOGTAP_TAP_CPU",
  "LOGTAP_TAP_MEMORY",
  "LOGTAP_TIMEOUT",
  "LOGTAP_VERBOSE",
];

/** The environment of a child: ours without any LOGTAP_* a developer may have set, with a fresh HOME and no colour. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("LOGTAP_") && v !== undefined) env[k] = v;
  return { ...env, HOME: tempDir("logtap-home-"), NO_COLOR: "1", ...extra };
}

interface RecvRun {
  url: string;
  code: number;
  stderr: string;
}

/**
 * Runs the real `logtap recv --headless` with exactly `args` (no --dir or --listen added) and `env`, in a fresh
 * working directory; once it is listening, `act` runs, then SIGTERM.
 */
async function recvWith(args: string[], env: Record<string, string>, act: (url: string) => Promise<void> = async () => {}): Promise<RecvRun> {
  const proc = Bun.spawn([...primaryTarget().cmd, "recv", "--headless", ...args], { cwd: tempDir(), env: childEnv(env), stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const err = streamText(proc.stderr);
  let url = "";
  await waitFor(() => {
    url = /listening on (\S+),/.exec(err.text())?.[1] ?? "";
    return url !== "" || proc.exitCode !== null;
  }, 15_000, "recv to listen");
  try {
    if (url) await act(`http://${url}`);
  } finally {
    proc.kill("SIGTERM");
  }
  const code = await proc.exited;
  await err.done;
  return { url: url && `http://${url}`, code, stderr: err.text() };
}

describe("each environment key takes effect through the real binary (upstream §24)", () => {
  let hooks: Server<undefined>;
  const got: Array<{ path: string; body: { event: string; stats?: { disk_cap: number } } }> = [];
  beforeAll(() => {
    hooks = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        got.push({ path: new URL(req.url).pathname, body: await req.json() });
        return new Response(null, { status: 204 });
      },
    });
  });
  afterAll(() => hooks.stop(true));
  const hook = (path: string) => `http://127.0.0.1:${hooks.port}${path}`;
  const eventsAt = (path: string) => got.filter((g) => g.path === path).map((g) => g.body.event);
  const listen = ["--listen", "127.0.0.1:0"];
  const dirFlag = () => ["--dir", join(tempDir(), "cap")];
  const line = (msg: string) => lokiJson([{ labels: { app: "env" }, values: [["1700000000000000000", msg]] }]);
  const pushLine = (msg: string) => async (url: string) => {
    expect((await push(url, line(msg), { "content-type": "application/json" })).status).toBe(204);
  };

  const CASES: Array<{ key: string; run: () => Promise<void> }> = [
    {
      key: "LOGTAP_RECV_ADDR",
      async run() {
        const free = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
        const port = free.port;
        free.stop(true);
        let ready = 0;
        const r = await recvWith(dirFlag(), { LOGTAP_RECV_ADDR: `127.0.0.1:${port}` }, async (url) => {
          ready = (await fetch(`${url}/ready`)).status;
        });
        expect({ url: r.url, ready, code: r.code }).toEqual({ url: `http://127.0.0.1:${port}`, ready: 200, code: 0 });
      },
    },
    {
      key: "LOGTAP_RECV_DIR",
      async run() {
        const dir = join(tempDir(), "from-env");
        const r = await recvWith(listen, { LOGTAP_RECV_DIR: dir }, pushLine("into the env dir"));
        expect({ code: r.code, msgs: entriesViaZstdCli(dir).map((e) => e.msg) }).toEqual({ code: 0, msgs: ["into the env dir"] });
      },
    },
    {
      key: "LOGTAP_RECV_DISK_CAP",
      async run() {
        const r = await recvWith([...listen, ...dirFlag(), "--webhook", hook("/disk-cap")], { LOGTAP_RECV_DISK_CAP: "7MB" });
        expect({ code: r.code, stop: got.find((g) => g.path === "/disk-cap" && g.body.event === "stop")?.body.stats?.disk_cap }).toEqual({ code: 0, stop: 7 * 1024 * 1024 });
      },
    },
    {
      key: "LOGTAP_RECV_REDACT",
      async run() {
        const dir = join(tempDir(), "cap");
        // A home config says off; the environment wins over it.
        const home = tempDir("logtap-home-");
        mkdirSync(join(home, ".logtap"));
        writeFileSync(join(home, ".logtap", "config.yaml"), 'recv:\n  redact: "false"\n');
        const r = await recvWith([...listen, "--dir", dir], { HOME: home, LOGTAP_RECV_REDACT: "email" }, pushLine("mail alice@example.com from 10.1.2.3"));
        expect({ code: r.code, msgs: entriesViaZstdCli(dir).map((e) => e.msg) }).toEqual({ code: 0, msgs: ["mail [REDACTED:email] from 10.1.2.3"] });
      },
    },
    {
      key: "LOGTAP_RECV_REDACT_PATTERNS",
      async run() {
        const dir = join(tempDir(), "cap");
        const patterns = join(tempDir(), "p.yaml");
        writeFileSync(patterns, '- name: order\n  pattern: "ORD-\\\\d+"\n  replacement: "[ORDER]"\n');
        const r = await recvWith([...listen, "--dir", dir, "--redact=email"], { LOGTAP_RECV_REDACT_PATTERNS: patterns }, pushLine("order ORD-123 for bob@example.com"));
        expect({ code: r.code, msgs: entriesViaZstdCli(dir).map((e) => e.msg) }).toEqual({ code: 0, msgs: ["order [ORDER] for [REDACTED:email]"] });
      },
    },
    {
      key: "LOGTAP_RECV_WEBHOOKS",
      async run() {
        const r = await recvWith([...listen, ...dirFlag()], { LOGTAP_RECV_WEBHOOKS: `${hook("/env-a")},${hook("/env-b")}` });
        expect({ code: r.code, a: eventsAt("/env-a"), b: eventsAt("/env-b") }).toEqual({ code: 0, a: ["start", "stop"], b: ["start", "stop"] });
      },
    },
    {
      key: "LOGTAP_RECV_WEBHOOK_EVENTS",
      async run() {
        const r = await recvWith([...listen, ...dirFlag(), "--webhook", hook("/only-stop")], { LOGTAP_RECV_WEBHOOK_EVENTS: "stop" });
        expect({ code: r.code, events: eventsAt("/only-stop") }).toEqual({ code: 0, events: ["stop"] });
      },
    },
    {
      key: "LOGTAP_TIMEOUT",
      async run() {
        // No command here talks to a cluster yet; every command validates the value it is given.
        const bad = await runCli(["version"], { env: childEnv({ LOGTAP_TIMEOUT: "soon" }) });
        expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 2, stderr: 'error: invalid --timeout: invalid duration "soon"\n' });
      },
    },
  ];

  for (const c of CASES) test(c.key, c.run);

  test("keys with nothing to act on in this port (no tap command, no verbose mode) are read without complaint", async () => {
    const r = await runCli(["version"], { env: childEnv({ LOGTAP_TAP_NAMESPACE: "payments", LOGTAP_TAP_CPU: "50m", LOGTAP_TAP_MEMORY: "32Mi", LOGTAP_VERBOSE: "true" }) });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  });

  test("every §24 key is covered here, and the product reads exactly those", () => {
    const covered = [...CASES.map((c) => c.key), "LOGTAP_TAP_NAMESPACE", "LOGTAP_TAP_CPU", "LOGTAP_TAP_MEMORY", "LOGTAP_VERBOSE"];
    expect([...covered].sort()).toEqual([...SPEC_ENV_KEYS].sort());
    expect(CONFIG_KEYS.map((k) => k.env).sort()).toEqual([...SPEC_ENV_KEYS].sort());
  });

  test("a flag on the command line beats the environment", async () => {
    const envDir = join(tempDir(), "env-dir");
    const flagDir = join(tempDir(), "flag-dir");
    const r = await recvWith([...listen, "--dir", flagDir], { LOGTAP_RECV_DIR: envDir }, pushLine("to the flag's dir"));
    expect({ code: r.code, flag: entriesViaZstdCli(flagDir).map((e) => e.msg), env: existsSync(envDir) }).toEqual({ code: 0, flag: ["to the flag's dir"], env: false });
  });
});
