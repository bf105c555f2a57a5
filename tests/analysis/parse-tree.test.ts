import { describe, expect, test } from "bun:test";
import { MAX_LEAF_TEMPLATES, ParseTree } from "../../src/analysis/patterns/parse-tree.ts";
import { Template, type TemplateParts } from "../../src/analysis/patterns/template.ts";

/** A line of plain words: each token its own skeleton. */
function parts(tokens: string[]): TemplateParts {
  return { tokens, skeletons: tokens, words: tokens.map(() => true), spaced: tokens.map((_, i) => i > 0) };
}

const LENGTH = 25;
const line = Array.from({ length: LENGTH }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}${i}`);
/** The line with the positions in `differ` replaced. */
const unlike = (differ: number[], tag: string) => line.map((t, i) => (differ.includes(i) ? `${tag}${i}` : t));

/**
 * A full leaf whose templates 0 and 1 both share 14 of the line's 25 tokens (a tie, broken by age: template 0), the
 * others none. 14/25 as a floating-point bound rules out a second template at exactly 14/25 (25 − 0.56 × 25 is
 * 10.999999999999998, and it misses 11): with that bound, trying template 1 first made it win.
 */
function fullLeaf(tree: ParseTree) {
  const leaf = tree.leaf(parts(line), LENGTH, null, true)!;
  const differ = (from: number) => Array.from({ length: 11 }, (_, k) => from + k);
  tree.insert(leaf, new Template(0, parts(unlike(differ(0), "x")), LENGTH));
  tree.insert(leaf, new Template(1, parts(unlike(differ(14), "y")), LENGTH));
  for (let id = 2; id < MAX_LEAF_TEMPLATES; id++) tree.insert(leaf, new Template(id, parts(line.map((_, i) => `z${id}-${i}`)), LENGTH));
  return leaf;
}

describe("parse tree", () => {
  test("the template a line joins does not depend on which one the leaf tries first", () => {
    for (let first = 0; first < MAX_LEAF_TEMPLATES; first++) {
      const tree = new ParseTree();
      const leaf = fullLeaf(tree);
      leaf.lastBest = first;
      expect(tree.best(leaf, parts(line), null)?.id).toBe(0);
    }
  });

  test("a share below the threshold joins only a full leaf; at the threshold any leaf", () => {
    const tree = new ParseTree();
    const leaf = tree.leaf(parts(line), LENGTH, null, true)!;
    // 19 of 25 (0.76) is below 0.8; 20 of 25 is exactly 0.8.
    tree.insert(leaf, new Template(0, parts(unlike([0, 1, 2, 3, 4, 5], "x")), LENGTH));
    expect(tree.best(leaf, parts(line), null)).toBeNull();
    tree.insert(leaf, new Template(1, parts(unlike([0, 1, 2, 3, 4], "y")), LENGTH));
    expect(tree.best(leaf, parts(line), null)?.id).toBe(1);
    expect(fullLeaf(new ParseTree()).templates.length).toBe(MAX_LEAF_TEMPLATES);
  });

  test("a newcomer with wildcards (another miner's template) joins only at a share of 0.8, whatever the bound said", () => {
    const tree = new ParseTree();
    const ten = line.slice(0, 10);
    const leaf = tree.leaf(parts(ten), 10, null, true)!;
    tree.insert(leaf, new Template(0, parts(ten), 10));
    // Wildcards at 0–4 leave 5 positions compared; 2 of them differ: a share of 3/5, while the bound from the
    // template's 10 concrete positions, (10 − 2) / 10, still reached 0.8.
    const wild = ten.map((_, i) => (i < 5 ? (["", ""] as [string, string]) : null));
    const newcomer = ten.map((t, i) => (i >= 8 ? `other${i}` : t));
    expect(tree.best(leaf, parts(newcomer), wild)).toBeNull();
    expect(tree.best(leaf, parts(ten.map((t, i) => (i === 9 ? "other" : t))), wild)?.id).toBe(0);
  });
});
