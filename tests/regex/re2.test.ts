/**
 * RE2/Go regex syntax, translated to JavaScript with the same meaning (docs/redaction.md, "Regex dialect").
 * Behaviour is checked by matching, since that is what users rely on; a few cases also pin the translation.
 */

import { describe, expect, test } from "bun:test";
import { compileRe2, isBacktrackingRisk, RegexSyntaxError, translateRe2 } from "../../src/regex/re2.ts";

const matches = (pattern: string, input: string): boolean => compileRe2(pattern).test(input);

describe("leading inline flags", () => {
  test("(?i) becomes the i flag", () => {
    const t = translateRe2("(?i)abc");
    expect([t.source, t.flags]).toEqual(["abc", "vi"]);
    expect(matches("(?i)abc", "xABCx")).toBe(true);
  });

  test("(?s): . also matches \\n", () => {
    expect(matches("a.b", "a\nb")).toBe(false);
    expect(matches("(?s)a.b", "a\nb")).toBe(true);
  });

  test("without s, . matches everything but \\n — including \\r, unlike JavaScript's .", () => {
    expect(matches("a.b", "a\rb")).toBe(true);
    expect(matches("a.b", "a\u2028b")).toBe(true);
  });

  test("(?m): ^ and $ match at \\n only (JavaScript's m would also split at \\r)", () => {
    expect(matches("^b$", "a\nb\nc")).toBe(false);
    expect(matches("(?m)^b$", "a\nb\nc")).toBe(true);
    expect(matches("(?m)^b$", "a\rb\rc")).toBe(false);
  });

  test("combined: (?is)", () => {
    expect(matches("(?is)A.B", "a\nb")).toBe(true);
  });

  test("(?U) swaps greedy and lazy", () => {
    expect(compileRe2("(?U)a+").exec("aaa")?.[0]).toBe("a");
    expect(compileRe2("(?U)a+?").exec("aaa")?.[0]).toBe("aaa");
  });

  test("extra flags: i, m and s with RE2's meaning, g passed through", () => {
    const re = compileRe2("a.b", "gs");
    expect(re.global).toBe(true);
    expect("a\nb a-b".replace(re, "x")).toBe("x x");
    expect(compileRe2("abc", "i").test("ABC")).toBe(true);
  });
});

describe("flags inside the pattern", () => {
  test("(?i) mid-pattern applies to the rest of its group, across |", () => {
    expect(matches("^(?:a(?i)b|c)$", "aB")).toBe(true);
    expect(matches("^(?:a(?i)b|c)$", "C")).toBe(true);
    expect(matches("^(?:a(?i)b|c)$", "AB")).toBe(false);
  });

  test("(?i:…) and (?-i:…) groups", () => {
    expect(matches("^(?i:ab)c$", "ABc")).toBe(true);
    expect(matches("^(?i:ab)c$", "ABC")).toBe(false);
    expect(matches("(?i)^a(?-i:b)$", "Ab")).toBe(true);
    expect(matches("(?i)^a(?-i:b)$", "AB")).toBe(false);
  });

  test("a flag group ends with its group", () => {
    expect(matches("^(?:(?i)a)b$", "AB")).toBe(false);
    expect(matches("^(?:(?i)a)b$", "Ab")).toBe(true);
  });
});

describe("named groups", () => {
  test("(?P<name>…) becomes (?<name>…)", () => {
    const t = translateRe2("(?P<year>\\d{4})-(?P<month>\\d\\d)");
    expect(t.source).toBe("(?<year>\\d{4})-(?<month>\\d\\d)");
    expect(t.groupNames).toEqual([undefined, "year", "month"]);
    expect(compileRe2("(?P<year>\\d{4})").exec("in 2024")?.groups?.year).toBe("2024");
  });

  test("(?<name>…) is accepted too (Go 1.22+)", () => {
    expect(compileRe2("(?<n>x)").exec("x")?.groups?.n).toBe("x");
  });

  test("names JavaScript refuses (leading digit, repeats) still capture, by number", () => {
    const t = translateRe2("(?P<1st>a)(?P<n>b)(?P<n>c)");
    expect(t.groupNames).toEqual([undefined, "1st", "n", "n"]);
    expect([...compileRe2("(?P<1st>a)(?P<n>b)(?P<n>c)").exec("abc")!]).toEqual(["abc", "a", "b", "c"]);
  });
});

describe("anchors and escapes", () => {
  test("\\A is the start and \\z the very end (not before a final \\n)", () => {
    expect(translateRe2("\\Aab\\z").source).toBe("^ab$");
    expect(matches("\\Aab\\z", "ab")).toBe(true);
    expect(matches("ab\\z", "ab\n")).toBe(false);
    expect(matches("\\Aab", "xab")).toBe(false);
  });

  test("\\Q…\\E quotes literally, to \\E or the end", () => {
    expect(matches("^\\Qa.b*\\E$", "a.b*")).toBe(true);
    expect(matches("^\\Qa.b*\\E$", "axbb")).toBe(false);
    expect(matches("^\\Q(x|y)", "(x|y)")).toBe(true);
  });

  test("\\s is ASCII whitespace only ([\\t\\n\\f\\r ]), also inside classes", () => {
    expect(matches("^\\s$", "\u000b")).toBe(false);
    expect(matches("^\\s$", "\u00a0")).toBe(false);
    expect(matches("^[\\s]$", "\t")).toBe(true);
    expect(matches("^[\\S]$", "\u00a0")).toBe(true);
    expect(matches("^[^\\S]$", "\u00a0")).toBe(false);
  });

  test("hex, octal and C escapes", () => {
    expect(matches("^\\x41\\x{1F600}\\101\\t$", "A\u{1F600}A\t")).toBe(true);
  });

  test("escaped punctuation is literal, as RE2 allows (\\- \\_ \\<)", () => {
    expect(matches("^a\\-\\_\\<$", "a-_<")).toBe(true);
  });

  test("braces that are no repetition are literals", () => {
    expect(matches("^a{,2}}$", "a{,2}}")).toBe(true);
    expect(matches("^{$", "{")).toBe(true);
  });

  test(". and classes work on code points", () => {
    expect(matches("^.$", "\u{1F600}")).toBe(true);
    expect(matches("^[^a]$", "\u{1F600}")).toBe(true);
  });
});

describe("character classes", () => {
  test("POSIX classes, plain and negated", () => {
    expect(matches("^[[:alpha:]_]+$", "ab_C")).toBe(true);
    expect(matches("^[[:^digit:]]+$", "ab")).toBe(true);
    expect(matches("^[[:^digit:]]+$", "a1")).toBe(false);
  });

  test("Unicode classes: \\pL, \\p{Greek}, \\PN, \\p{^Greek}", () => {
    expect(matches("^\\pL\\p{Greek}\\PN$", "xλ-")).toBe(true);
    expect(matches("^\\p{^Greek}$", "λ")).toBe(false);
  });

  test("a ] first in the class is a literal; - at the edges is a literal", () => {
    expect(matches("^[]a]+$", "]a")).toBe(true);
    expect(matches("^[^]a]$", "b")).toBe(true);
    expect(matches("^[-a-c-]+$", "-b-")).toBe(true);
  });

  test("(?i) applies to classes, and a negated class stays negated", () => {
    expect(matches("(?i)^[a-c]+$", "AbC")).toBe(true);
    expect(matches("(?i)^[^a]$", "A")).toBe(false);
  });
});

describe("repetition", () => {
  test("counted forms and lazy variants", () => {
    expect(compileRe2("a{2,3}?").exec("aaaa")?.[0]).toBe("aa");
    expect(compileRe2("a{2,}").exec("aaaa")?.[0]).toBe("aaaa");
  });

  test("RE2 may repeat an assertion; JavaScript needs it grouped", () => {
    expect(translateRe2("^*a").source).toBe("(?:^)*a");
    expect(matches("^*a", "a")).toBe(true);
  });
});

describe("what RE2 rejects, with Go's messages", () => {
  const errors: [pattern: string, message: string][] = [
    ["(a)\\1", "invalid escape sequence: `\\1`"],
    ["a(?=b)", "invalid or unsupported Perl syntax: `(?=`"],
    ["a(?!b)", "invalid or unsupported Perl syntax: `(?!`"],
    ["(?<=a)b", "invalid or unsupported Perl syntax: `(?<=`"],
    ["(?<!a)b", "invalid or unsupported Perl syntax: `(?<!`"],
    ["(?P=name)", "invalid or unsupported Perl syntax: `(?P`"],
    ["\\C", "invalid escape sequence: `\\C`"],
    ["\\q", "invalid escape sequence: `\\q`"],
    ["\\8", "invalid escape sequence: `\\8`"],
    ["\\x4g", "invalid escape sequence: `\\x4g`"],
    ["(abc", "missing closing ): `(abc`"],
    ["abc)", "unexpected ): `abc)`"],
    ["[a-z", "missing closing ]: `[a-z`"],
    ["[z-a]", "invalid character class range: `z-a`"],
    ["[[:word2:]]", "invalid character class range: `[:word2:]`"],
    ["\\p{Klingon}", "invalid character class range: `\\p{Klingon}`"],
    ["ab\\", "trailing backslash at end of expression: ``"],
    ["a{1001}", "invalid repeat count: `{1001}`"],
    ["a{3,2}", "invalid repeat count: `{3,2}`"],
    ["*a", "missing argument to repetition operator: `*`"],
    ["(|+)", "missing argument to repetition operator: `+`"],
    ["a**", "invalid nested repetition operator: `**`"],
    ["a+?*", "invalid nested repetition operator: `+?*`"],
    ["(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"],
    ["(?P<ab", "invalid named capture: `(?P<ab`"],
    ["(?z)", "invalid or unsupported Perl syntax: `(?z`"],
    ["(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"],
  ];
  for (const [pattern, reason] of errors) {
    test(JSON.stringify(pattern), () => {
      expect(() => compileRe2(pattern)).toThrow(RegexSyntaxError);
      expect(() => compileRe2(pattern)).toThrow(`error parsing regexp: ${reason}`);
    });
  }

  test("the error carries the reason and the offending fragment", () => {
    try {
      compileRe2("x(?=y)");
      throw new Error("compiled");
    } catch (err) {
      expect(err).toBeInstanceOf(RegexSyntaxError);
      expect(err).toMatchObject({ reason: "invalid or unsupported Perl syntax", fragment: "(?=" });
    }
  });

  test("nesting deeper than RE2's limit", () => {
    expect(() => compileRe2("(".repeat(1001) + ")".repeat(1001))).toThrow("error parsing regexp: expression nests too deeply");
  });
});

test("every pattern the parser accepts is a valid JavaScript regex (random token soup)", () => {
  const tokens = ["a", "B", "0", "(", ")", "|", "*", "+", "?", "{2}", "{1,3}", "{", "}", "[", "]", "^", "$", "-", ".", ",", "\\",
    "\\d", "\\s", "\\S", "\\w", "\\b", "\\A", "\\z", "\\.", "\\-", "\\Q", "\\E", "\\x41", "\\p{L}", "\\PN", "[:alpha:]", "[:^space:]",
    "(?i)", "(?-i)", "(?s:", "(?U)", "(?m)", "(?P<n>", "(?<m>", "(?:", "é", "\u{1F600}", "/", " "];
  let state = 7;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    let pattern = "";
    for (let n = next(9); n > 0; n--) pattern += tokens[next(tokens.length)];
    let translated;
    try {
      translated = translateRe2(pattern);
    } catch (err) {
      if (!(err instanceof RegexSyntaxError)) throw new Error(`${JSON.stringify(pattern)}: ${err}`);
      continue;
    }
    accepted++;
    try {
      new RegExp(translated.source, translated.flags);
      isBacktrackingRisk(pattern);
    } catch (err) {
      throw new Error(`${JSON.stringify(pattern)} → /${translated.source}/${translated.flags}: ${err}`);
    }
  }
  expect(accepted).toBeGreaterThan(2000);
});
