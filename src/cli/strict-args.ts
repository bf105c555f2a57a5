/**
 * citty parses with `strict: false` and would silently ignore a mistyped flag; logtap rejects unknown flags, missing
 * flag values, bad enum values and stray positionals as usage errors (exit 2) before a command runs.
 */

import type { ArgDef, ArgsDef } from "citty";
import { UsageError } from "../common/errors.ts";

/**
 * `optionalValue`: a string flag that may also stand alone (`--redact` meaning "all"); bare use becomes `--flag=true`.
 * `repeatable`: every occurrence counts (`--label a=1 --label b=2`); citty would keep only the last, so the values
 * reach the command joined by REPEAT_SEPARATOR.
 * `variadic`: a last positional that takes any number of further arguments (merge's sources).
 */
export type LogtapArgDef = ArgDef & { optionalValue?: boolean; repeatable?: boolean; variadic?: boolean };

/** Joins the values of a repeated flag; a NUL cannot occur in a command-line argument. */
export const REPEAT_SEPARATOR = "\u0000";

/** Accepted by every command: the cluster timeout of upstream §1.3. */
export const GLOBAL_ARGS: ArgsDef = {
  timeout: { type: "string", description: "timeout for Kubernetes API calls (Go duration, e.g. 30s)" },
};

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

interface FlagInfo {
  name: string;
  def: LogtapArgDef;
}

function flagTable(args: ArgsDef): Map<string, FlagInfo> {
  const table = new Map<string, FlagInfo>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const info = { name, def: def as LogtapArgDef };
    table.set(name, info);
    table.set(kebab(name), info);
    const alias = (def as { alias?: string | string[] }).alias;
    for (const a of alias === undefined ? [] : Array.isArray(alias) ? alias : [alias]) table.set(a, info);
  }
  table.set("help", { name: "help", def: { type: "boolean" } });
  table.set("h", { name: "help", def: { type: "boolean" } });
  return table;
}

/** Validates `rawArgs` against the command's flags and returns them with optional-value flags made explicit. */
export function checkArgs(rawArgs: readonly string[], args: ArgsDef): string[] {
  const table = flagTable({ ...GLOBAL_ARGS, ...args });
  const positionals = Object.values(args).filter((d) => d.type === "positional");
  const out: string[] = [];
  const repeated = new Map<string, number>();
  let seenPositional = 0;
  for (let i = 0; i < rawArgs.length; i++) {
    const tok = rawArgs[i]!;
    if (tok === "--") {
      out.push(...rawArgs.slice(i));
      seenPositional += rawArgs.length - i - 1;
      break;
    }
    if (!tok.startsWith("-") || tok === "-") {
      out.push(tok);
      seenPositional++;
      continue;
    }
    const body = tok.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const key = eq >= 0 ? body.slice(0, eq) : body;
    let info = table.get(key);
    if (info === undefined && key.startsWith("no-")) {
      const neg = table.get(key.slice(3));
      if (neg?.def.type === "boolean" && eq < 0) info = neg;
    }
    if (info === undefined) throw new UsageError(`unknown flag: ${tok.slice(0, tok.length - (eq >= 0 ? body.length - eq : 0))}`);
    const type = info.def.type ?? "boolean";
    if (type === "boolean") {
      if (eq >= 0 && !/^(true|false|1|0)$/i.test(body.slice(eq + 1)))
        throw new UsageError(`invalid value "${body.slice(eq + 1)}" for --${key}: expected true or false`);
      out.push(eq >= 0 ? `--${key}=${/^(true|1)$/i.test(body.slice(eq + 1)) ? "true" : "false"}` : tok);
      continue;
    }
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else {
      const next = rawArgs[i + 1];
      // Like Go's pflag, a value flag takes the next token even when it starts with "-" (`--from -30m`); only a
      // flag whose value is optional lets a following flag stand on its own.
      if (next === undefined || (info.def.optionalValue && next.startsWith("-") && next !== "-")) {
        if (!info.def.optionalValue) throw new UsageError(`flag needs an argument: ${tok}`);
        value = "true";
      } else {
        value = next;
        i++;
      }
    }
    // Always `--name=value`, so the parser behind citty cannot read a value like `-30m` as short flags.
    const at = repeated.get(info.name);
    if (info.def.repeatable && at !== undefined) out[at] += REPEAT_SEPARATOR + value;
    else {
      repeated.set(info.name, out.length);
      out.push(`--${info.name}=${value}`);
    }
    const options = (info.def as { options?: string[] }).options;
    if (type === "enum" && options !== undefined && !options.includes(value))
      throw new UsageError(`invalid value "${value}" for --${key}: expected one of ${options.join(", ")}`);
  }
  const required = positionals.filter((p) => p.required !== false).length;
  // A variadic last positional (merge's source list) takes any number of further arguments.
  if (positionals.some((p) => (p as LogtapArgDef).variadic)) {
    if (seenPositional < required) throw new UsageError(`requires at least ${required} arg(s), received ${seenPositional}`);
    return out;
  }
  if (seenPositional > positionals.length || seenPositional < required) {
    const want = required === positionals.length ? `${required}` : `${required} to ${positionals.length}`;
    throw new UsageError(`accepts ${want} arg(s), received ${seenPositional}`);
  }
  return out;
}
