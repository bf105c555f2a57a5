/** `logtap sign <capture-dir> [--verify]`: write or check manifest.sha256 (upstream §18; verify failure exits 6 in text and JSON). */

import { defineCommand } from "citty";
import { FindingsError } from "../common/errors.ts";
import { isJson, jsonArgs } from "../cli/json-flags.ts";
import { writeStdout } from "../common/stdout.ts";
import { signCapture } from "../archive/sign/sign.ts";
import { verifyCapture } from "../archive/sign/verify.ts";
import { signJson, signText, verifyText } from "../archive/sign/report.ts";

export default defineCommand({
  meta: { name: "sign", description: "Sign a capture (manifest.sha256) or verify it with --verify" },
  args: {
    dir: { type: "positional", description: "capture directory", required: true },
    verify: { type: "boolean", description: "verify the existing manifest instead of signing" },
    ...jsonArgs,
  },
  async run({ args }) {
    const json = isJson(args);
    if (!args.verify) {
      const signed = signCapture(args.dir);
      await writeStdout(json ? signJson(signed) : signText(signed));
      return 0;
    }
    const result = verifyCapture(args.dir);
    await writeStdout(json ? signJson(result) : verifyText(result));
    if (!result.valid) throw new FindingsError("capture integrity check failed");
    return 0;
  },
});
