/**
 * Drain's fixed-depth parse tree (He et al., ICWS 2017): a line goes to the leaf for its token count and its first
 * DEPTH tokens — by the token itself when it is a word, else by the wildcard branch, which is also where a node
 * with MAX_CHILDREN children sends new tokens — and joins the most similar template of that leaf when the
 * similarity reaches 0.8 (ties: the template with more wildcards, then the older one). The templates
 * themselves live in the template store; the tree only finds them.
 *
 * Two departures from Drain, both measured on Loghub (docs/benchmarks.md, Patterns): tokens compare by skeleton
 * (masks.ts), and wildcard positions are left out of the similarity instead of counting as differences, so a
 * template does not get harder to join as it generalises — which lets one threshold serve every system.
 */

import type { Similarity, Template, TemplateParts } from "./template.ts";
import { WILDCARD } from "./template.ts";

export const DEPTH = 2;
export const MAX_CHILDREN = 100;
/** The similarity a template must reach, 0.8, as a fraction: shares are compared exactly. */
const SIMILARITY_NUM = 4;
const SIMILARITY_DEN = 5;
/**
 * Templates per leaf. A full leaf takes a line that matches none of its templates into the most similar one: lines
 * whose variable parts vary in count and kind (`k=v` pairs of random keys) would otherwise start a template each
 * and make every later line compare against thousands (600 lines/s instead of 300,000).
 */
export const MAX_LEAF_TEMPLATES = 16;

export interface TreeNode {
  children: Map<string, TreeNode>;
  templates: Template[];
  /** The index of the template `best` chose last here: tried first, it sets a high bar that rules most others out. */
  lastBest: number;
}

const newNode = (): TreeNode => ({ children: new Map(), templates: [], lastBest: 0 });

export class ParseTree {
  readonly #byLength = new Map<number, TreeNode>();
  readonly #score: Similarity = { same: 0, compared: 0, params: 0 };

  /**
   * The leaf a line (or a template, whose wildcards take the wildcard branch) belongs in; with `create` false,
   * null when there is none yet (so a miner at its template cap grows no nodes).
   */
  leaf(parts: TemplateParts, length: number, wild: readonly (unknown | null)[] | null, create: boolean): TreeNode | null {
    let node: TreeNode | undefined = this.#byLength.get(length);
    if (node === undefined) {
      if (!create) return null;
      node = newNode();
      this.#byLength.set(length, node);
    }
    const depth = Math.min(DEPTH, length);
    for (let i = 0; i < depth; i++) {
      let key = parts.words[i] && (wild === null || wild[i] === null) ? parts.tokens[i]! : WILDCARD;
      let child: TreeNode | undefined = node.children.get(key);
      if (child === undefined && node.children.size >= MAX_CHILDREN) child = node.children.get((key = WILDCARD));
      if (child === undefined) {
        if (!create) return null;
        child = newNode();
        node.children.set(key, child);
      }
      node = child;
    }
    return node;
  }

  /**
   * The template of `leaf` the newcomer joins: similar enough, or the most similar of a full leaf; else null. The
   * winner is the highest share, then the most wildcards, then the oldest — whatever order they are tried in.
   */
  best(leaf: TreeNode, parts: TemplateParts, wild: readonly ([string, string] | null)[] | null): Template | null {
    const templates = leaf.templates;
    const n = templates.length;
    if (n === 0) return null;
    // A full leaf takes the most similar template whatever the similarity.
    const full = n >= MAX_LEAF_TEMPLATES;
    const score = this.#score;
    let best = -1;
    let bestSame = full ? 0 : SIMILARITY_NUM;
    let bestCompared = full ? 1 : SIMILARITY_DEN;
    let bestParams = -1;
    // The leaf's last choice first, then the others in order.
    const first = leaf.lastBest < n ? leaf.lastBest : 0;
    for (let k = 0; k < n; k++) {
      const i = k === 0 ? first : k <= first ? k - 1 : k;
      if (!templates[i]!.similarity(parts, wild, bestSame, bestCompared, score)) continue;
      // Shares compared as fractions: same/compared against the best's, or the threshold before there is one (a
      // newcomer's wildcards leave positions out, so passing the bound does not make the share reach it).
      const order = score.same * bestCompared - bestSame * score.compared;
      if (order > 0 || (order === 0 && (best < 0 || score.params > bestParams || (score.params === bestParams && i < best)))) {
        best = i;
        bestSame = score.same;
        bestCompared = score.compared;
        bestParams = score.params;
      }
    }
    if (best < 0) return null;
    leaf.lastBest = best;
    return templates[best]!;
  }

  insert(leaf: TreeNode, t: Template): void {
    leaf.templates.push(t);
  }
}
