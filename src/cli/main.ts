/** The `logtap` executable: picks the subcommand, checks its flags strictly, runs it, and reports errors in one line. */

import { renderUsage, runCommand, type CommandDef } from "citty";
import { COMMANDS } from "./command-registry.ts";
import { checkArgs } from "./strict-args.ts";
import { formatError, UsageError, wantsJsonErrors } from "./errors.ts";
import { VERSION } from "../version.ts";

const ROOT_META = { name: "logtap", version: VERSION, description: "Ephemeral log mirror for Kubernetes: capture, replay, search and triage logs" };

function rootHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.description}`);
  return [
    `${ROOT_META.description} (logtap v${VERSION})`,
    "",
    "USAGE logtap <command> [flags]",
    "",
    "COMMANDS",
    "",
    ...lines,
    "",
    "Use `logtap <command> --help` for more information about a command.",
    "",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
    process.stdout.write(`logtap ${VERSION}\n`);
    return 0;
  }
  const first = argv.findIndex((a) => !a.startsWith("-"));
  const name = first >= 0 ? argv[first]! : undefined;
  if (name === undefined) {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(rootHelp());
      return 0;
    }
    throw new UsageError(`unknown flag: ${argv[0]}`);
  }
  const entry = COMMANDS[name];
  if (entry === undefined) throw new UsageError(`unknown command "${name}" for "logtap"`);
  const cmd: CommandDef<any> = await entry.load();
  const rest = [...argv.slice(0, first), ...argv.slice(first + 1)];
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write((await renderUsage(cmd, { meta: ROOT_META } as CommandDef)) + "\n");
    return 0;
  }
  const args = checkArgs(rest, (await resolve(cmd.args)) ?? {});
  const { result } = await runCommand(cmd, { rawArgs: args });
  return typeof result === "number" ? result : 0;
}

async function resolve<T>(v: T | (() => T | Promise<T>) | Promise<T> | undefined): Promise<T | undefined> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    const { code, text } = formatError(err, wantsJsonErrors(argv));
    process.stderr.write(text + "\n");
    process.exit(code);
  },
);
