/**
 * Replacement templates in Go's `Regexp.Expand` syntax — `$1`, `${1}`, `$name`, `${name}`, `$$` — resolved against
 * the pattern's groups once, at load time. Go's rules differ from JavaScript's, so a template is not passed through:
 * a name is as long as possible (`$1x` is group "1x", not group 1 then "x"), an unknown group expands to nothing
 * (JavaScript keeps `$9` literally), and a `$` that starts no reference stays a literal `$`.
 */

/** Literal text, or the index of a capture group (0 = the whole match). */
export type Template = readonly (string | number)[];

/** Go takes Unicode letters and digits in names. */
const NAME = /[\p{L}\p{Nd}_]+/uy;

export function parseGoTemplate(template: string, groupNames: readonly (string | undefined)[]): Template {
  const parts: (string | number)[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf("$", i);
    if (dollar < 0) break;
    literal += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === "$") {
      literal += "$";
      i++;
      continue;
    }
    const ref = reference(template, i);
    if (!ref) {
      literal += "$";
      continue;
    }
    i = ref.end;
    const group = resolve(ref.name, groupNames);
    if (group < 0) continue;
    if (literal) parts.push(literal);
    literal = "";
    parts.push(group);
  }
  literal += template.slice(i);
  if (literal) parts.push(literal);
  return parts;
}

/** The same template in JavaScript `String.prototype.replace` syntax. */
export function templateToJs(template: Template): string {
  return template
    .map((part) => {
      if (typeof part === "string") return part.replaceAll("$", "$$$$");
      if (part === 0) return "$&";
      // Two digits, so a literal digit that follows cannot extend the group number.
      if (part < 100) return `$${String(part).padStart(2, "0")}`;
      throw new Error(`replacement refers to group ${part}; JavaScript can reference groups 1-99 only`);
    })
    .join("");
}

/** Expands the template for one match; `groups[k]` is group k's text, undefined when it did not participate. */
export function expandTemplate(template: Template, groups: readonly (string | undefined)[]): string {
  let out = "";
  for (const part of template) out += typeof part === "string" ? part : (groups[part] ?? "");
  return out;
}

/** `$name` / `${name}` at `i` (just after the `$`), as Go's extract reads it. */
function reference(template: string, i: number): { name: string; end: number } | null {
  const braced = template[i] === "{";
  NAME.lastIndex = braced ? i + 1 : i;
  const name = NAME.exec(template)?.[0];
  if (name === undefined) return null;
  const end = NAME.lastIndex;
  if (!braced) return { name, end };
  return template[end] === "}" ? { name, end: end + 1 } : null;
}

/** Group index for a reference name, or -1 when no such group exists (Go then expands to nothing). */
function resolve(name: string, groupNames: readonly (string | undefined)[]): number {
  // Go reads all-digit names as numbers, except with a leading zero (then "01" is a name like any other).
  if (/^(0|[1-9][0-9]{0,7})$/.test(name)) return Number(name) < groupNames.length ? Number(name) : -1;
  return groupNames.indexOf(name);
}
