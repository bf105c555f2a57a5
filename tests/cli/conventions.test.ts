import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";

describe.each(cliTargets().map((t) => [t.name, t] as const))("CLI conventions (%s)", (_name, target) => {
  test("--version and `version` (text and --json)", async () => {
    const v = await runCli(["--version"], { target });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^logtap \d+\.\d+\.\d+\n$/);
    const text = await runCli(["version"], { target });
    expect(text.stdout).toMatch(/^logtap \d+\.\d+\.\d+ \(commit: \S+, built: \S+, go: bun \d/);
    const json = await runCli(["version", "--json"], { target });
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(["version", "commit", "date", "goVersion"]);
    expect(JSON.parse((await runCli(["version", "--format", "json"], { target })).stdout).version).toBe(JSON.parse(json.stdout).version);
  });

  test("unknown flags are usage errors: exit 2, one line, no stack trace", async () => {
    const r = await runCli(["recv", "--dri", "x"], { target });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown flag: --dri\n");
    expect(r.stdout).toBe("");
  });

  test("in JSON mode the error is one JSON object on stderr", async () => {
    const r = await runCli(["version", "--json", "--nope"], { target });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({ exit_code: 2, error: "invalid_args", message: "unknown flag: --nope", recoverable: false });
    const r2 = await runCli(["recv", "--format", "json"], { target });
    expect(JSON.parse(r2.stderr).exit_code).toBe(2);
  });

  test("unknown command, missing --dir, bad values, stray arguments: exit 2", async () => {
    for (const args of [
      ["frobnicate"],
      ["recv"],
      ["recv", "--dir", "x", "--max-file", "10Q"],
      ["recv", "--dir", "x", "--max-disk", "1KiB"],
      ["recv", "--dir", "x", "--buffer", "2000000"],
      ["recv", "--dir", "x", "--buffer", "many"],
      ["recv", "--dir", "x", "--listen", "nowhere"],
      ["recv", "--dir", "x", "--compress=maybe"],
      ["recv", "--dir", "x", "extra-arg"],
      ["recv", "--dir"],
      ["recv", "--dir", "x", "--tls-cert", "c.pem"],
    ]) {
      const r = await runCli(args, { target });
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
    }
    expect((await runCli(["recv", "--dir", "x", "--max-file", "10Q"], { target })).stderr).toBe(
      'error: invalid --max-file: invalid size: "10Q"\n',
    );
  });

  test("--help prints usage to stdout and exits 0", async () => {
    const root = await runCli(["--help"], { target });
    expect(root.code).toBe(0);
    expect(root.stdout).toContain("recv");
    const recv = await runCli(["recv", "--help"], { target });
    expect(recv.code).toBe(0);
    expect(recv.stdout).toContain("--max-disk");
    // Piped help is plain text even where citty would colour it (no NO_COLOR, not CI).
    const piped = await runCli(["slice", "--help"], { target, env: { NO_COLOR: "", CI: "", TEST: "" } });
    expect(piped.stdout).toContain("--out");
    expect(piped.stdout).not.toContain("\x1b[");
  });

  test("a port already in use fails before anything is written (exit 1, one clear line)", async () => {
    const blocker = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("busy") });
    try {
      const dir = join(tempDir(), "capture");
      const r = await runCli(["recv", "--headless", "--listen", `127.0.0.1:${blocker.port}`, "--dir", dir], { target });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: .*(in use|EADDRINUSE)/i);
      expect(existsSync(dir)).toBe(false);
    } finally {
      blocker.stop(true);
    }
  });
});

test("--timeout is a global flag, accepted by every command and validated as a Go duration", async () => {
  expect((await runCli(["version", "--timeout", "45s"])).code).toBe(0);
  const bad = await runCli(["version", "--timeout", "soon"]);
  expect([bad.code, bad.stderr]).toEqual([2, 'error: invalid --timeout: invalid duration "soon"\n']);
});

test("the global --timeout may come before the command", async () => {
  const r = await runCli(["--timeout", "45s", "version", "--json"]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).version).toMatch(/^\d/);
});
