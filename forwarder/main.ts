/**
 * The `logtap-forwarder` executable (the sidecar tap injects, §23). `sleep <seconds>` (the preStop hook) and
 * `version` are answered before anything else is loaded, so the hook costs a bare Bun start-up and never touches
 * the environment; without arguments it forwards.
 */

// A module (for top-level await) even though nothing is imported statically.
export {};

const USAGE = "usage: logtap-forwarder [sleep <seconds> | version]";

const [command, ...rest] = process.argv.slice(2);
let code: number;
if (command === "sleep") code = await (await import("./sleep.ts")).runSleep(rest);
else if (command === "version" || command === "--version") {
  const { VERSION, COMMIT } = await import("../src/version.ts");
  console.log(`logtap-forwarder ${VERSION} (${COMMIT})`);
  code = 0;
} else if (command !== undefined) {
  console.error(USAGE);
  code = 2;
} else code = await (await import("./run.ts")).runForwarder(process.env);
process.exit(code);
