import { describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliTargets, runCli, primaryTarget } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { COMMANDS } from "../../src/cli/command-registry.ts";

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

  test("completion rejects other shells; zsh and fish scripts name every command and every flag", async () => {
    expect((await runCli(["completion", "powershell"], { target })).code).toBe(2);
    const zsh = (await runCli(["completion", "zsh"], { target })).stdout;
    const fish = (await runCli(["completion", "fish"], { target })).stdout;
    const commands = await realCommands();
    for (const c of commands) {
      expect({ cmd: c.name, zsh: zsh.includes(`\n    '${c.name}:`), fish: fish.includes(` -a ${c.name} -d `) }).toEqual({ cmd: c.name, zsh: true, fish: true });
      // zsh: the command's own `case` branch lists each flag; fish: one line per flag, short alias included.
      const branch = new RegExp(`\\n    ${c.name}\\)\\n([\\s\\S]*?)\\n      ;;`).exec(zsh)?.[1] ?? "";
      const zshFlags = [...branch.matchAll(/'--([a-z0-9-]+)\[/g)].map((m) => m[1]);
      expect({ cmd: c.name, flags: zshFlags.sort() }).toEqual({ cmd: c.name, flags: [...c.flags].sort() });
      const fishFlags = fish
        .split("\n")
        .filter((l) => l.startsWith(`complete -c logtap -n '__fish_seen_subcommand_from ${c.name}' `))
        .map((l) => /-l (\S+)(?: -s (\S))?/.exec(l)!.slice(1).filter(Boolean).join("/"));
      expect({ cmd: c.name, flags: fishFlags.sort() }).toEqual({ cmd: c.name, flags: c.flags.map((f) => (c.short[f] ? `${f}/${c.short[f]}` : f)).sort() });
    }
    expect(fish).toContain("complete -c logtap -n '__fish_seen_subcommand_from recv' -l max-disk -r");
  });
});

/**
 * Every command of the real registry with its flags, read from the command definitions themselves (not from the
 * completion code), plus the global `--timeout` of upstream §1.3; `short` maps a flag to its one-letter alias.
 */
async function realCommands(): Promise<Array<{ name: string; flags: string[]; short: Record<string, string> }>> {
  const out = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const def = await entry.load();
    const args = (typeof def.args === "function" ? await def.args() : await def.args) ?? {};
    const flags = Object.entries(args as Record<string, { type?: string; alias?: string | string[] }>).filter(([, d]) => d.type !== "positional");
    const short: Record<string, string> = {};
    for (const [f, d] of flags) for (const a of [d.alias ?? []].flat()) if (a.length === 1) short[f] = a;
    out.push({ name, flags: [...flags.map(([f]) => f), "timeout"], short });
  }
  // recv … version: a registry that lost its commands must not make the checks above vacuous.
  if (out.length < 18) throw new Error(`only ${out.length} commands registered`);
  return out;
}

test("the bash script, sourced in a real bash, completes every command name and each command's flags", async () => {
  const script = (await runCli(["completion", "bash"], { target: primaryTarget() })).stdout;
  const file = join(tempDir(), "logtap.bash");
  writeFileSync(file, script);
  const complete = (words: string[]) => {
    const program = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _logtap; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return Bun.spawnSync(["bash", "-c", program]).stdout.toString().trim().split("\n");
  };
  const commands = await realCommands();
  expect(complete(["logtap", ""]).sort()).toEqual(commands.map((c) => c.name).sort());
  expect(complete(["logtap", "gr"])).toEqual(["grep"]);
  for (const c of commands) {
    const want = [...c.flags.map((f) => `--${f}`), ...Object.values(c.short).map((a) => `-${a}`), "--help"].sort();
    expect({ cmd: c.name, flags: complete(["logtap", c.name, "-"]).sort() }).toEqual({ cmd: c.name, flags: want });
  }
  expect(complete(["logtap", "recv", "--max-d"])).toEqual(["--max-disk"]);
});
