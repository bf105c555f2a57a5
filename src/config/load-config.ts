/**
 * Configuration layers (upstream §24): `~/.logtap/config.yaml`, then `./.logtap.yaml`, then environment
 * variables; command-line flags override them all. Unlike upstream, a YAML syntax error is an error (not silently
 * ignored) and an unknown key is a warning that names it.
 */

import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CONFIG_KEYS, type ConfigKey } from "./config-keys.ts";

export class ConfigError extends Error {}

export interface LoadedConfig {
  /** key → value as text (lists comma-joined), after all layers. */
  values: Map<string, string>;
  warnings: string[];
}

export function configPaths(home = homedir(), cwd = process.cwd()): string[] {
  return [join(home, ".logtap", "config.yaml"), join(cwd, ".logtap.yaml")];
}

function flatten(prefix: string, v: unknown, out: Map<string, unknown>): void {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  } else out.set(prefix, v);
}

function asText(spec: ConfigKey, v: unknown, where: string): string {
  if (spec.list && Array.isArray(v)) return v.map(String).join(",");
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "";
  throw new ConfigError(`${where}: ${spec.key} must be ${spec.list ? "a list or a string" : "a string"}`);
}

export function loadConfig(opts: { paths?: string[]; env?: Record<string, string | undefined> } = {}): LoadedConfig {
  const values = new Map<string, string>();
  const warnings: string[] = [];
  const byKey = new Map(CONFIG_KEYS.map((k) => [k.key, k]));
  for (const path of opts.paths ?? configPaths()) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    let doc: unknown;
    try {
      doc = Bun.YAML.parse(text);
    } catch (e) {
      throw new ConfigError(`${path}: invalid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const flat = new Map<string, unknown>();
    if (doc !== null && doc !== undefined) flatten("", doc, flat);
    for (const [key, v] of flat) {
      const spec = byKey.get(key);
      if (spec === undefined) warnings.push(`${path}: unknown configuration key "${key}" (ignored)`);
      else values.set(key, asText(spec, v, path));
    }
  }
  const env = opts.env ?? process.env;
  for (const spec of CONFIG_KEYS) {
    const v = spec.env ? env[spec.env] : undefined;
    if (v !== undefined && v !== "") values.set(spec.key, v);
  }
  return { values, warnings };
}

/**
 * The flags a command gets from configuration, as `--flag=value` tokens, for flags the user did not give.
 * `given` holds the flag names present on the command line.
 */
export function configFlags(command: string, config: LoadedConfig, known: ReadonlySet<string>, given: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const spec of CONFIG_KEYS) {
    const flag = spec.flags[command] ?? spec.flags["*"];
    const value = config.values.get(spec.key);
    if (flag === undefined || value === undefined || !known.has(flag) || given.has(flag)) continue;
    if (spec.list) for (const item of value.split(",").filter(Boolean)) out.push(`--${flag}=${item.trim()}`);
    else out.push(`--${flag}=${value}`);
  }
  return out;
}
