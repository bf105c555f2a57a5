/** Every invocation but `--version`: picks the subcommand, checks its flags strictly, runs it, and reports errors in one line. */

import { renderUsage, runCommand, type ArgsDef, type CommandDef } from "citty";
import { COMMANDS, findCommand } from "./command-registry.ts";
import { commandWordIndex } from "./command-word.ts";
import { checkArgs, GLOBAL_ARGS } from "./strict-args.ts";
import { ConfigError, configFlags, loadConfig } from "../config/load-config.ts";
import { parseDurationFlag } from "../common/values/duration.ts";
import { formatError, UsageError, wantsJsonErrors } from "../common/errors.ts";
import { stdoutFlushed, writeStdout } from "../common/stdout.ts";
import { VERSION } from "../version.ts";

const ROOT_META = { name: "logtap", version: VERSION, description: "Ephemeral log mirror for Kubernetes: capture, replay, search and triage logs" };

function rootHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.description}${c.aliases ? ` (alias: ${c.aliases.join(", ")})` : ""}`);
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
  const first = commandWordIndex(argv);
  const word = first >= 0 ? argv[first]! : undefined;
  if (word === undefined) {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
      await writeStdout(rootHelp());
      return 0;
    }
    throw new UsageError(`unknown flag: ${argv[0]}`);
  }
  const found = findCommand(word);
  if (found === undefined) throw new UsageError(`unknown command "${word}" for "logtap"`);
  const { name, entry } = found;
  const cmd: CommandDef<any> = await entry.load();
  const rest = [...argv.slice(0, first), ...argv.slice(first + 1)];
  if (rest.includes("--help") || rest.includes("-h")) {
    const usage = await renderUsage(cmd, { meta: ROOT_META } as CommandDef);
    // citty colours whenever NO_COLOR/CI are unset; help piped to a file or a pager must be plain text. node:tty is
    // loaded only here: it brings Node's stream stack (see stdout.ts).
    const { isatty } = await import("node:tty");
    await writeStdout((isatty(1) && !process.env.NO_COLOR ? usage : Bun.stripANSI(usage)) + "\n");
    return 0;
  }
  const argsDef = (await resolve(cmd.args)) ?? {};
  const args = withConfigDefaults(name, checkArgs(rest, argsDef), argsDef);
  const timeout = args.find((a) => a.startsWith("--timeout="));
  // Cluster commands read it; every command validates it, so a typo never passes silently (upstream ignored it).
  if (timeout !== undefined) parseDurationFlag("timeout", timeout.slice("--timeout=".length));
  const { result } = await runCommand(cmd, { rawArgs: args });
  return typeof result === "number" ? result : 0;
}

/** Flags the user did not give are filled from config files and environment variables (upstream §24). */
function withConfigDefaults(command: string, args: string[], argsDef: ArgsDef): string[] {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    throw e instanceof ConfigError ? new UsageError(e.message) : e;
  }
  for (const w of config.warnings) process.stderr.write(`warning: ${w}\n`);
  const known = new Set([...Object.keys(argsDef), ...Object.keys(GLOBAL_ARGS)]);
  const given = new Set<string>();
  for (const a of args) {
    const m = /^--(?:no-)?([^=]+)/.exec(a);
    if (m) given.add(m[1]!);
  }
  const extra = configFlags(command, config, known, given);
  return extra.length === 0 ? args : checkArgs([...args, ...extra], argsDef);
}

async function resolve<T>(v: T | (() => T | Promise<T>) | Promise<T> | undefined): Promise<T | undefined> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

export function dispatch(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      const { code, text } = formatError(err, wantsJsonErrors(argv));
      process.stderr.write(text + "\n");
      // Exit once stdout has handed over what the command printed before failing (a report, then exit 6).
      stdoutFlushed().then(() => process.exit(code));
    },
  );
}
