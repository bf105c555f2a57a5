/**
 * `logtap skill`: SKILL.md, the agents' guide, printed from inside the binary — an agent that downloaded only the
 * executable still has it. The file is embedded at build time, so it is always the one of this binary's commit.
 */

import { defineCommand } from "citty";
import text from "../../SKILL.md" with { type: "text" };
import { writeStdout } from "../common/stdout.ts";

export default defineCommand({
  meta: { name: "skill", description: "Print SKILL.md: commands, JSON outputs, exit codes and the incident workflow, for agents" },
  args: {},
  async run() {
    await writeStdout(text);
  },
});
