import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../support/cli.ts";

/**
 * Every import specifier in a source file: static, re-exports, side-effect only, dynamic with a literal, and
 * `import type` — a type-only edge is still a layer looking up.
 */
function specifiers(source: string): string[] {
  const pattern = /\b(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  return [...source.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function importGraph(): Map<string, string[]> {
  const files = ["src", "pipeline"].flatMap((d) =>
    readdirSync(join(ROOT, d), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts"))
      .map((f) => join(ROOT, d, f)),
  );
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    // JSON modules (package.json) and text imports (SKILL.md) import nothing.
    const local = specifiers(readFileSync(file, "utf8")).filter((s) => s.startsWith(".") && !s.endsWith(".json") && !s.endsWith(".md"));
    // Imports here name their .ts file; one the scan could not map to a file would hide a cycle through it.
    const name = relative(ROOT, file);
    expect({ name, unfollowed: local.filter((s) => !/\.tsx?$/.test(s)) }).toEqual({ name, unfollowed: [] });
    graph.set(file, local.map((s) => resolve(dirname(file), s)).filter((d) => known.has(d)));
  }
  return graph;
}

/** Cycles by depth-first search from every file: at least one through every knot of files, each listed once. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Map<string, number>();
  const visit = (f: string) => {
    onPath.set(f, path.length);
    path.push(f);
    for (const d of graph.get(f)!) {
      const at = onPath.get(d);
      if (at !== undefined) {
        const cycle = path.slice(at).map((p) => relative(ROOT, p));
        found.set([...cycle].sort().join(" "), cycle);
      } else if (!done.has(d)) visit(d);
    }
    path.pop();
    onPath.delete(f);
    done.add(f);
  };
  for (const f of graph.keys()) if (!done.has(f)) visit(f);
  return [...found.values()];
}

test("no import cycles in src/ and pipeline/", () => {
  expect(cycles(importGraph()).map((c) => [...c, c[0]].join(" → "))).toEqual([]);
});

// The layers below pipeline/ (docs/architecture.md, "Layers"): shared errors and value parsers, the data model, wire formats, the capture format,
// redaction and regexes. They must not reach up into the stages that wrap them.
const BELOW_PIPELINE = ["src/common/", "src/model/", "src/capture/", "src/protocols/", "src/redact/", "src/regex/", "src/workers/"];

test("the layers below pipeline/ import nothing from pipeline/ or the layers above", () => {
  const above = ["pipeline/", "src/recv/", "src/server/", "src/commands/", "src/cli/", "src/tui/", "src/analysis/", "src/export/", "src/kube/"];
  const upward: string[] = [];
  for (const [file, deps] of importGraph()) {
    const name = relative(ROOT, file);
    if (!BELOW_PIPELINE.some((l) => name.startsWith(l))) continue;
    for (const d of deps) if (above.some((l) => relative(ROOT, d).startsWith(l))) upward.push(`${name} → ${relative(ROOT, d)}`);
  }
  expect(upward).toEqual([]);
});

test("pipeline/ and the domains never import the CLI layer", () => {
  const upward: string[] = [];
  for (const [file, deps] of importGraph()) {
    const name = relative(ROOT, file);
    if (name.startsWith("src/cli/") || name.startsWith("src/commands/")) continue;
    for (const d of deps) {
      const dep = relative(ROOT, d);
      if (dep.startsWith("src/cli/") || dep.startsWith("src/commands/")) upward.push(`${name} → ${dep}`);
    }
  }
  expect(upward).toEqual([]);
});

test("the scan finds every kind of import", () => {
  const source = [
    `import type { A } from "./a.ts";`,
    `import { b1,\n  b2 } from "./b.ts";`,
    `export { c } from "./c.ts";`,
    `export * from "./d.ts";`,
    `import "./e.ts";`,
    `const f = await import("./f.ts");`,
    `import { g } from "citty";`,
    `const h = import.meta.dir;`,
  ].join("\n");
  expect(specifiers(source)).toEqual(["./a.ts", "./b.ts", "./c.ts", "./d.ts", "./e.ts", "./f.ts", "citty"]);
});

test("a cycle is reported once, whichever file the search starts from", () => {
  const [a, b, c, d] = ["a", "b", "c", "d"].map((n) => join(ROOT, "src", `${n}.ts`));
  const graph = new Map([[d!, [a!]], [a!, [b!]], [b!, [c!, d!]], [c!, [a!]]]);
  expect(cycles(graph)).toEqual([
    ["src/a.ts", "src/b.ts", "src/c.ts"],
    ["src/d.ts", "src/a.ts", "src/b.ts"],
  ]);
});
