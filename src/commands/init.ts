/** `logtap init` (upstream §21.3): creates ~/.logtap/config.yaml once, never overwrites, reports a local override. */

import { defineCommand } from "citty";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { writeStdout } from "../common/stdout.ts";
import { configPaths } from "../config/load-config.ts";
import { CONFIG_TEMPLATE } from "../config/config-template.ts";

const LOCAL = ".logtap.yaml";

export default defineCommand({
  meta: { name: "init", description: "Create ~/.logtap/config.yaml with commented defaults" },
  args: { ...jsonArgs },
  async run({ args }) {
    const [path] = configPaths();
    const created = !existsSync(path!);
    if (created) {
      mkdirSync(dirname(path!), { recursive: true, mode: 0o755 });
      writeFileSync(path!, CONFIG_TEMPLATE, { mode: 0o644, flag: "wx" });
    }
    const localFound = existsSync(LOCAL);
    if (isJson(args)) {
      await writeStdout(JSON.stringify({ config_path: path, created, local_path: LOCAL, local_found: localFound }, null, 2) + "\n");
    } else {
      const lines = [created ? `Created:  ${path}` : `Exists:   ${path}`];
      if (localFound) lines.push(`Local:    ${LOCAL} (overrides home config)`);
      lines.push("", `Edit ${path} to set defaults for recv, tap, and timeout.`);
      process.stderr.write(lines.join("\n") + "\n");
    }
    return 0;
  },
});
