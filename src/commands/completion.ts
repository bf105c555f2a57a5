/** `logtap completion bash|zsh|fish` (upstream §21.2): a completion script generated from the real commands. */

import { defineCommand } from "citty";
import { UsageError } from "../common/errors.ts";
import { writeStdout } from "../common/stdout.ts";
import { GLOBAL_ARGS } from "../cli/strict-args.ts";
import { commandSpecs, type CommandList } from "../completion/command-specs.ts";
import { bashScript, fishScript, zshScript } from "../completion/scripts.ts";

const SHELLS = { bash: bashScript, zsh: zshScript, fish: fishScript };

/** Made by the registry with itself as `commands`, so no import runs from a command back up to the registry. */
export function completionCommand(commands: CommandList) {
  return defineCommand({
    meta: { name: "completion", description: "Print a shell completion script (bash, zsh or fish)" },
    args: { shell: { type: "positional", description: "bash, zsh or fish", required: true } },
    async run({ args }) {
      const render = SHELLS[args.shell as keyof typeof SHELLS];
      if (!render) throw new UsageError(`invalid argument "${args.shell}" for "logtap completion": expected bash, zsh or fish`);
      await writeStdout(render(await commandSpecs(commands, GLOBAL_ARGS)));
      return 0;
    },
  });
}
