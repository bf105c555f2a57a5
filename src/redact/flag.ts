import { BUILTIN_NAMES, unknownPattern } from "./builtins.ts";

/**
 * Reads `--redact`: the built-in names to enable, or null for no redaction. Upstream's plain string flag swallowed
 * the next argument when given bare and took `false` for a pattern name; here a bare flag (`true` from the flag
 * parser, or "") and "true" enable every built-in, "false"/"off"/"none" or no flag disable redaction, and anything
 * else is a comma-separated list of names, kept in the order given.
 */
export function parseRedactFlag(value: string | boolean | undefined): string[] | null {
  if (value === undefined || value === false) return null;
  if (value === true) return [...BUILTIN_NAMES];
  const text = value.trim();
  const keyword = text.toLowerCase();
  if (keyword === "" || keyword === "true") return [...BUILTIN_NAMES];
  if (keyword === "false" || keyword === "off" || keyword === "none") return null;
  const names = [...new Set(text.split(",").map((name) => name.trim()).filter((name) => name !== ""))];
  if (names.length === 0) throw unknownPattern(text);
  for (const name of names) if (!BUILTIN_NAMES.includes(name)) throw unknownPattern(name);
  return names;
}
