/** Spells a parsed RE2 pattern as JavaScript v-flag regex source. */

import type { Node } from "./ast.ts";

/**
 * `fold` is whether the RegExp gets the `i` flag; character nodes whose case sensitivity differs (scoped `(?i)`
 * or `(?-i)`) are wrapped in a `(?i:…)`/`(?-i:…)` modifier group.
 */
export function emitJs(root: Node, fold: boolean): string {
  const seen = new Set<string>();
  const emit = (node: Node): string => {
    switch (node.kind) {
      case "char":
        return node.fold === null || node.fold === fold ? node.js : `(?${node.fold ? "" : "-"}i:${node.js})`;
      case "assert":
        return node.js;
      case "group":
        return `${groupOpen(node.capture, node.name, seen)}${emit(node.body)})`;
      case "concat":
        return node.items.map(emit).join("");
      case "alt":
        return node.items.map(emit).join("|");
      case "repeat": {
        const sub = emit(node.sub);
        // JavaScript cannot quantify an assertion or a quantifier directly; RE2 can (`^*`, `a*(?i)*`).
        const atom = node.sub.kind === "char" || node.sub.kind === "group" ? sub : `(?:${sub})`;
        return `${atom}${quantifier(node.min, node.max)}${node.greedy ? "" : "?"}`;
      }
    }
  };
  return emit(root);
}

/** The first case-sensitivity a pattern asks for, so a leading `(?i)` becomes the RegExp's `i` flag. */
export function leadingFold(node: Node): boolean | null {
  switch (node.kind) {
    case "char":
      return node.fold;
    case "assert":
      return null;
    case "group":
      return leadingFold(node.body);
    case "repeat":
      return leadingFold(node.sub);
    case "concat":
    case "alt":
      for (const item of node.items) {
        const fold = leadingFold(item);
        if (fold !== null) return fold;
      }
      return null;
  }
}

/**
 * Go accepts group names JavaScript does not (leading digit, duplicates). Such groups stay capturing but unnamed:
 * numbering is unchanged, and replacement templates resolve names to numbers before the RegExp sees them.
 */
function groupOpen(capture: number, name: string | undefined, seen: Set<string>): string {
  if (capture === 0) return "(?:";
  if (name === undefined || !/^[A-Za-z_]/.test(name) || seen.has(name)) return "(";
  seen.add(name);
  return `(?<${name}>`;
}

function quantifier(min: number, max: number): string {
  if (max === Infinity) return min === 0 ? "*" : min === 1 ? "+" : `{${min},}`;
  if (min === 0 && max === 1) return "?";
  return min === max ? `{${min}}` : `{${min},${max}}`;
}
