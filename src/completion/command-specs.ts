/** The commands and their flags, read from the real command definitions, for completion scripts. */

import type { ArgsDef, CommandDef } from "citty";

/** The command registry's shape, handed in by the registry: importing it from here would close an import cycle. */
export type CommandList = Record<string, { description: string; load: () => Promise<CommandDef<any>> }>;

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

function flagsOf(args: ArgsDef, globalArgs: ArgsDef): FlagSpec[] {
  return Object.entries({ ...args, ...globalArgs })
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

export async function commandSpecs(commands: CommandList, globalArgs: ArgsDef): Promise<CommandSpec[]> {
  const out: CommandSpec[] = [];
  for (const [name, entry] of Object.entries(commands)) {
    const cmd: CommandDef<any> = await entry.load();
    const args = typeof cmd.args === "function" ? await (cmd.args as () => Promise<ArgsDef>)() : ((await cmd.args) as ArgsDef | undefined);
    out.push({ name, description: entry.description, flags: flagsOf(args ?? {}, globalArgs) });
  }
  return out;
}
