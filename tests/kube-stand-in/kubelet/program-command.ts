/**
 * The command line a container runs, as the kubelet and the runtime build it from the image and the container spec:
 * - no `command`, no `args`: the image's ENTRYPOINT + CMD;
 * - `command` only: `command` (the image's CMD is dropped);
 * - `args` only: the image's ENTRYPOINT + `args`;
 * - both: `command` + `args`.
 * `$(VAR)` in command and args is replaced by the container's environment variable VAR (left as written when VAR is
 * not defined; `$$` is a literal `$`), as kubelet's expansion package does. Then the first word, if it names a file
 * of the image, is replaced by the local program (ImageProgram.paths, or the base-name rule).
 */

import { existsSync } from "node:fs";
import { basename, isAbsolute, resolve } from "node:path";
import type { ImageProgram } from "./program-images.ts";

/** Kubernetes' `$(VAR)` expansion (third_party/forked/golang/expansion). */
export function expandVars(input: string, vars: Record<string, string>): string {
  let out = "";
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== "$" || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i++;
    } else if (next === "(") {
      const close = input.indexOf(")", i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += Object.hasOwn(vars, name) ? vars[name] : `$(${name})`;
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Entrypoint and arguments per the Kubernetes rules above, expanded. */
export function containerArgv(program: ImageProgram, container: any, env: Record<string, string>): string[] {
  const command: string[] | undefined = container?.command?.length ? container.command : undefined;
  const args: string[] | undefined = container?.args?.length ? container.args : undefined;
  const expand = (xs: string[]) => xs.map((x) => expandVars(String(x), env));
  if (command) return [...expand(command), ...expand(args ?? [])];
  return [...program.command, ...(args ? expand(args) : (program.args ?? []))];
}

/**
 * The local command for a path the pod spec names (argv[0] of a command, preStop or exec probe): an explicit
 * `paths` entry (a file, or a command prefix such as `[bun, "app.ts"]`), else an absolute path that does not exist
 * on this machine with the entrypoint's base name → the entrypoint, else the word as written.
 */
export function localProgram(program: ImageProgram, word: string): string[] {
  const cwd = program.cwd ?? process.cwd();
  const local = (p: string) => (!isAbsolute(p) && p.includes("/") ? resolve(cwd, p) : p);
  const explicit = program.paths?.[word];
  if (explicit !== undefined) return (Array.isArray(explicit) ? explicit : [explicit]).map((p, i) => (i === 0 ? local(p) : p));
  const entry = program.command[0];
  // `/logtap-forwarder` is the image's file, not this machine's: a path that exists here (`/bin/sh`) stays itself.
  if (isAbsolute(word) && !existsSync(word) && basename(word) === basename(entry)) return [local(entry)];
  // `dist/x` is a file relative to the program's cwd; a bare `sh` is looked up on PATH.
  return [local(word)];
}

/** argv with its first word made local (see localProgram). */
export function localArgv(program: ImageProgram, argv: string[]): string[] {
  if (!argv.length) return argv;
  const [first, ...rest] = argv;
  return [...localProgram(program, first), ...rest];
}
