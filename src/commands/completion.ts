/** `logtap completion bash|zsh|fish` (upstream §21.2): a completion script generated from the real commands. */

import { defineCommand } from "citty";
import { UsageError } from "../cli/errors.ts";
import { writeStdout } from "../cli/stdout.ts";
import { commandSpecs } from "../completion/command-specs.ts";
import { bashScript, fishScript, zshScript } from "../completion/scripts.ts";

const SHELLS = { bash: bashScript, zsh: zshScript, fish: fishScript };

export default defineCommand({
  meta: { name: "completion", description: "Print a shell completion script (bash, zsh or fish)" },
  args: { shell: { type: "positional", description: "bash, zsh or fish", required: true } },
  async run({ args }) {
    const render = SHELLS[args.shell as keyof typeof SHELLS];
    if (!render) throw new UsageError(`invalid argument "${args.shell}" for "logtap completion": expected bash, zsh or fish`);
    await writeStdout(render(await commandSpecs()));
    return 0;
  },
});
