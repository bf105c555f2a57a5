/**
 * The `logtap` executable. `--version` is answered here, before the CLI is loaded and the way a hello-world prints:
 * the CLI's imports (citty's node:util, the config loader's node:fs) cost about half of Bun's own start-up, and
 * process.stdout, which loads Node's stream stack, more than all of it (docs/benchmarks.md, Start-up).
 */

import { VERSION } from "../version.ts";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) console.log(`logtap ${VERSION}`);
else {
  (await import("./allocator-tuning.ts")).tuneAllocator(argv);
  (await import("./dispatch.ts")).dispatch(argv);
}
