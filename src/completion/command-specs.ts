/** The commands and their flags, read from the real command definitions, for completion scripts. */

import type { ArgsDef, CommandDef } from "citty";
import { COMMANDS } from "../cli/command-registry.ts";
import { GLOBAL_ARGS } from "../cli/strict-args.ts";

export interface FlagSpec {
  name: string;
  alias?: string;
  description: string;
  takesValue: boolean;
  choices?: string[];
}

export interface CommandSpec {
  name: string;
  description: string;
  flags: FlagSpec[];
}

function flagsOf(args: ArgsDef): FlagSpec[] {
  return Object.entries({ ...args, ...GLOBAL_ARGS })
    .filter(([, d]) => d.type !== "positional")
    .map(([name, d]) => {
      const alias = (d as { alias?: string | string[] }).alias;
      return {
        name,
        alias: Array.isArray(alias) ? alias[0] : alias,
        description: d.description ?? "",
        takesValue: d.type !== "boolean" && d.type !== undefined,
        choices: (d as { options?: string[] }).options,
      };
    });
}

export async function commandSpecs(): Promise<CommandSpec[]> {
  const out: CommandSpec[] = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const cmd: CommandDef<any> = await entry.load();
    const args = typeof cmd.args === "function" ? await (cmd.args as () => Promise<ArgsDef>)() : ((await cmd.args) as ArgsDef | undefined);
    out.push({ name, description: entry.description, flags: flagsOf(args ?? {}) });
  }
  return out;
}
