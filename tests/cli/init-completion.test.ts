import { describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli, primaryTarget } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { loadConfig } from "../../src/config/load-config.ts";

describe.each(cliTargets().map((t) => [t.name, t] as const))("init and completion (%s)", (_n, target) => {
  test("init creates the commented config once, never overwrites, reports a local override", async () => {
    const home = tempDir();
    const cwd = tempDir();
    const first = await runCli(["init", "--json"], { target, env: { HOME: home }, cwd });
    const path = join(home, ".logtap", "config.yaml");
    expect(JSON.parse(first.stdout)).toEqual({ config_path: path, created: true, local_path: ".logtap.yaml", local_found: false });
    expect(statSync(path).mode & 0o777).toBe(0o644);
    // Everything is commented out: the file changes no setting until a line is enabled.
    expect([...loadConfig({ paths: [path], env: {} }).values]).toEqual([]);
    writeFileSync(path, "recv:\n  dir: ./mine\n");
    writeFileSync(join(cwd, ".logtap.yaml"), "");
    const again = await runCli(["init"], { target, env: { HOME: home }, cwd });
    expect(again.stderr).toBe(`Exists:   ${path}\nLocal:    .logtap.yaml (overrides home config)\n\nEdit ${path} to set defaults for recv, tap, and timeout.\n`);
    expect(readFileSync(path, "utf8")).toBe("recv:\n  dir: ./mine\n");
  });

  test("completion rejects other shells; zsh and fish scripts name every command", async () => {
    expect((await runCli(["completion", "powershell"], { target })).code).toBe(2);
    const zsh = await runCli(["completion", "zsh"], { target });
    const fish = await runCli(["completion", "fish"], { target });
    for (const cmd of ["recv", "grep", "inspect", "export"]) {
      expect(zsh.stdout).toContain(`'${cmd}:`);
      expect(fish.stdout).toContain(`-a ${cmd} `);
    }
    expect(fish.stdout).toContain("complete -c logtap -n '__fish_seen_subcommand_from recv' -l max-disk -r");
  });
});

test("the bash script, sourced in a real bash, completes `logtap gr` to grep and recv's flags", async () => {
  const script = (await runCli(["completion", "bash"], { target: primaryTarget() })).stdout;
  const file = join(tempDir(), "logtap.bash");
  writeFileSync(file, script);
  const complete = (words: string[]) => {
    const program = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _logtap; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return Bun.spawnSync(["bash", "-c", program]).stdout.toString().trim().split("\n");
  };
  expect(complete(["logtap", "gr"])).toEqual(["grep"]);
  expect(complete(["logtap", "recv", "--max-d"])).toEqual(["--max-disk"]);
  expect(complete(["logtap", "grep", "-"])).toContain("--count");
});
