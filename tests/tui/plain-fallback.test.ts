/** Not a terminal: `recv` without --headless and `open` behave exactly as before the TUI existed. */

import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { primaryTarget, runCli } from "../support/cli.ts";
import { writeOurCapture } from "../support/fixture-capture.ts";
import { entry } from "./tui-fixtures.ts";

describe("no terminal, no TUI", () => {
  test("recv without --headless on pipes is the plain receiver", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "logtap-tui-plain-")), "cap");
    const proc = Bun.spawn([...primaryTarget().cmd, "recv", "--listen", "127.0.0.1:0", "--dir", dir], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    const reader = proc.stderr.getReader();
    let err = "";
    while (!err.includes("listening on")) {
      const { value, done } = await reader.read();
      if (done) break;
      err += new TextDecoder().decode(value);
    }
    expect(err).toContain("logtap recv listening on 127.0.0.1:");
    // recv installs its signal handlers before it prints that line, so a signal right away is a clean stop.
    proc.kill("SIGTERM");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      err += new TextDecoder().decode(value);
    }
    expect(await proc.exited).toBe(0);
    expect(err).toContain("done: 0 lines");
    expect(err).not.toContain("\u001b[");
  });

  test("open on pipes prints lines; --tui-buffer is accepted and checked", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "logtap-tui-plain-")), "cap");
    await writeOurCapture(dir, [entry(0, "web", "one"), entry(1, "web", "two")]);
    const r = await runCli(["open", dir, "--speed", "0", "--tui-buffer", "500", "--format", "text"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("2025-01-15T10:00:00Z [web] one\n2025-01-15T10:00:01Z [web] two\n");
    const bad = await runCli(["open", dir, "--tui-buffer", "0"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("invalid --tui-buffer");
  });
});
