import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/command-registry.ts";
import { cliTargets, ROOT, runCli } from "../support/cli.ts";

const SKILL = readFileSync(join(ROOT, "SKILL.md"), "utf8");

describe.each(cliTargets().map((t) => [t.name, t] as const))("logtap skill (%s)", (_n, target) => {
  test("prints the committed SKILL.md byte for byte, on stdout only", async () => {
    const r = await runCli(["skill"], { target });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(SKILL);
  });
});

/** SKILL.md is what agents read instead of the code: a command or a schema it does not mention is invisible to them. */
test("SKILL.md describes every command of the registry, and the schemas it names exist", () => {
  const missing = Object.keys(COMMANDS).filter((name) => !SKILL.includes(`**\`${name}`));
  expect({ missing }).toEqual({ missing: [] });
  for (const path of ["docs/schemas/error.schema.json", "docs/cli-reference.md"]) expect({ path, exists: existsSync(join(ROOT, path)), named: SKILL.includes(path) }).toEqual({ path, exists: true, named: true });
});
