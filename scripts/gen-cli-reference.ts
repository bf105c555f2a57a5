/**
 * Writes docs/cli-reference.md from the command definitions themselves (`npm run docs:cli`), so the reference
 * cannot drift from what `logtap <command> --help` says; tests/cli/cli-reference.test.ts fails when it is stale.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ArgDef, ArgsDef } from "citty";
import { COMMANDS } from "../src/cli/command-registry.ts";
import { GLOBAL_ARGS } from "../src/cli/strict-args.ts";

export const REFERENCE_PATH = join(import.meta.dir, "..", "docs", "cli-reference.md");
export const REGENERATE = "npm run docs:cli";

const HEADER = [
  "# logtap command reference",
  "",
  `<!-- Generated from src/cli/command-registry.ts by scripts/gen-cli-reference.ts; do not edit, run \`${REGENERATE}\`. -->`,
  "",
  "Every command accepts the global flag `--timeout <string>` (timeout for Kubernetes API calls, Go duration, e.g. 30s).",
  "Exit codes and JSON outputs: SKILL.md and docs/schemas/.",
  "",
].join("\n");

/** Markdown table cells must not break the row. */
function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function usage(name: string, args: ArgsDef): string {
  const words = Object.entries(args)
    .filter(([, d]) => d.type === "positional")
    .map(([p, d]) => (d.required === false ? `[${p}]` : `<${p}>`));
  return ["logtap", name, ...words, "[flags]"].join(" ");
}

function flagRow(name: string, d: ArgDef): string {
  const aliases = [(d as { alias?: string | string[] }).alias ?? []].flat().map((a) => (a.length === 1 ? `-${a}` : `--${a}`));
  const choices = (d as { options?: string[] }).options;
  const type = choices ? choices.join(" \\| ") : (d.type ?? "boolean");
  const def = d.default === undefined ? "" : `\`${JSON.stringify(d.default)}\``;
  return `| \`--${name}\` | ${aliases.map((a) => `\`${a}\``).join(", ")} | ${type} | ${def} | ${cell(d.description ?? "")} |`;
}

/** One command's section; exported so the test can say which command changed. */
export function commandSection(name: string, description: string, aliases: string[] | undefined, args: ArgsDef): string {
  const positionals = Object.entries(args).filter(([, d]) => d.type === "positional");
  const flags = Object.entries(args).filter(([, d]) => d.type !== "positional");
  const out = [`## ${name}`, "", description, ""];
  if (aliases?.length) out.push(`Alias: ${aliases.map((a) => `\`${a}\``).join(", ")}`, "");
  out.push("```", usage(name, args), "```", "");
  if (positionals.length > 0) {
    out.push("| Argument | Required | Description |", "| --- | --- | --- |");
    for (const [p, d] of positionals) out.push(`| \`${p}\` | ${d.required === false ? "no" : "yes"} | ${cell(d.description ?? "")} |`);
    out.push("");
  }
  if (flags.length > 0) {
    out.push("| Flag | Aliases | Type | Default | Description |", "| --- | --- | --- | --- | --- |");
    for (const [f, d] of flags) out.push(flagRow(f, d));
    out.push("");
  }
  return out.join("\n");
}

/** Every command's section, by name, in registry order. */
export async function commandSections(): Promise<Array<{ name: string; text: string }>> {
  const out = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const def = await entry.load();
    const args = ((typeof def.args === "function" ? await def.args() : await def.args) ?? {}) as ArgsDef;
    out.push({ name, text: commandSection(name, entry.description, entry.aliases, args) });
  }
  return out;
}

export function renderReference(sections: Array<{ text: string }>): string {
  return HEADER + "\n" + sections.map((s) => s.text).join("\n");
}

if (import.meta.main) {
  writeFileSync(REFERENCE_PATH, renderReference(await commandSections()));
  console.error(`wrote ${REFERENCE_PATH}`);
}
