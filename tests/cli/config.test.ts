import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { loadConfig, configFlags } from "../../src/config/load-config.ts";
import { readMetadata } from "../../src/capture/metadata.ts";

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

  test("recv takes its directory, redaction and patterns file from the environment", async () => {
    const dir = join(tempDir(), "from-env");
    const patterns = join(tempDir(), "p.yaml");
    writeFileSync(patterns, '- name: order\n  pattern: "ORD-\\\\d+"\n  replacement: "[ORDER]"\n');
    const h = home("recv:\n  redact: \"false\"\n");
    const r = await startReceiver([], { dir, env: { HOME: h, LOGTAP_RECV_REDACT: "email", LOGTAP_RECV_REDACT_PATTERNS: patterns } });
    await r.stop();
    expect(readMetadata(dir).redaction).toEqual({ enabled: true, patterns: ["email", "order"] });
  });
});
