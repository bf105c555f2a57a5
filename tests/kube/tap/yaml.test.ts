/** The dry-run's YAML emitter: kubectl's layout, and every output reads back (Bun's YAML parser) as the same value. */

import { describe, expect, test } from "bun:test";
import { toYaml } from "../../../src/kube/tap/yaml.ts";
import type { Json } from "../../../src/kube/tap/workload.ts";
import { generateWorkload, rng, type Rand } from "./generate-workload.ts";

describe("toYaml", () => {
  test("kubectl's layout: sorted keys, list items at the parent's indentation, {} and [] inline", () => {
    expect(toYaml({ b: 1, a: { w: [], v: {} }, c: [{ name: "x", env: [{ name: "A", value: "1" }] }, "s", ["t"]] })).toBe(
      ["a:", "  v: {}", "  w: []", "b: 1", "c:", "- env:", "  - name: A", '    value: "1"', "  name: x", "- s", "- - t", ""].join("\n"),
    );
  });

  test("strings are quoted only when YAML would read them otherwise", () => {
    const cases: [string, string][] = [
      ["16Mi", "16Mi"],
      ["recv.example:3100", "recv.example:3100"],
      ["-c", "-c"],
      ["/healthz", "/healthz"],
      ["3100", '"3100"'],
      ["5", '"5"'],
      ["1e3", '"1e3"'],
      ["0x1F", '"0x1F"'],
      ["1:30", '"1:30"'],
      ["true", '"true"'],
      ["yes", '"yes"'],
      ["y", '"y"'],
      ["off", '"off"'],
      ["null", '"null"'],
      ["~", '"~"'],
      ["<<", '"<<"'],
      ["", "''"],
      [" lead", "' lead'"],
      ["a: b", "'a: b'"],
      ["a #b", "'a #b'"],
      ["- x", "'- x'"],
      ['{"v":1}', `'{"v":1}'`],
      ["it's", "it's"],
      ["'q", "'''q'"],
      ["2025-01-15T10:00:00Z", '"2025-01-15T10:00:00Z"'],
      ["two\nlines", '"two\\nlines"'],
      ["tab\there", '"tab\\there"'],
      ["4567,4568", "4567,4568"],
      ["é", "é"],
    ];
    for (const [s, y] of cases) expect(toYaml({ k: s }), JSON.stringify(s)).toBe(`k: ${y}\n`);
  });

  function randomString(r: Rand): string {
    const alphabet = ["a", "Z", "0", "9", " ", ":", "#", "-", "'", '"', "\\", "\n", "\t", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", ".", "e", "x", "é", "💥", "\u0000", "\u2028", "?"];
    // Not "<<": Bun's parser takes even a quoted "<<" key for a merge key (YAML merges only the plain one), so
    // it would misread the emitter's correct '"<<":'. The quoting itself is checked above.
    return r.pick([() => "", () => r.pick(["true", "Yes", "1.5", "-1", ".inf", "0o17", "1_000", "=", "2024-1-1", "NaN", ".NaN"]), () => Array.from({ length: r.int(1, 8) }, () => r.pick(alphabet)).join("")])();
  }

  function randomJson(r: Rand, depth: number): Json {
    if (depth > 3 || r.chance(0.3)) {
      return r.pick([() => null, () => r.chance(0.5), () => r.int(-1000, 1000), () => r.next() * 100, () => randomString(r)])();
    }
    if (r.chance(0.5)) return Array.from({ length: r.int(0, 3) }, () => randomJson(r, depth + 1));
    return Object.fromEntries(Array.from({ length: r.int(0, 3) }, () => [randomString(r), randomJson(r, depth + 1)]));
  }

  test("round-trips: random JSON values and generated workloads parse back equal", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const v = { root: randomJson(r, 0) };
      expect(Bun.YAML.parse(toYaml(v)), `seed ${seed}: ${toYaml(v)}`).toEqual(v);
    }
    for (let seed = 1; seed <= 200; seed++) {
      const w = generateWorkload(rng(seed)) as unknown as Json;
      expect(Bun.YAML.parse(toYaml(w)), `workload seed ${seed}`).toEqual(w);
    }
  });
});
