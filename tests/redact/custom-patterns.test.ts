/** The custom patterns file (`--redact-patterns`): a YAML list of {name, pattern, replacement}, after the built-ins. */

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRedactor } from "../../src/redact/redactor.ts";

const dir = mkdtempSync(join(tmpdir(), "logtap-redact-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function patternsFile(yaml: string): string {
  const path = join(dir, `patterns-${++files}.yaml`);
  writeFileSync(path, yaml);
  return path;
}

async function custom(yaml: string, names: string[] = []) {
  const hits: [string, number][] = [];
  const redactor = await createRedactor({ names, customFile: patternsFile(yaml), onHit: (p, n) => hits.push([p, n]) });
  return { redactor, hits };
}

describe("applying custom patterns", () => {
  test("upstream's example: a case-insensitive API key", async () => {
    const { redactor } = await custom(`- name: api_key
  pattern: "(?i)api[_-]?key[=: ]+[A-Za-z0-9]{16,}"
  replacement: "[REDACTED:apikey]"
`);
    expect(redactor.redact("api_key=abcdef1234567890xx end")).toBe("[REDACTED:apikey] end");
    expect(redactor.redact("API-KEY: abcdef1234567890xx")).toBe("[REDACTED:apikey]");
  });

  test("custom names follow the built-ins in metadata order", async () => {
    const { redactor } = await custom(
      `- {name: token, pattern: "tok_[a-z]+", replacement: "[T]"}
- {name: user, pattern: "user=\\\\w+", replacement: "user=?"}
`,
      ["email", "ip_v4"],
    );
    expect(redactor.patterns).toEqual(["email", "ip_v4", "token", "user"]);
  });

  test("they run after the built-ins, over their output", async () => {
    const { redactor } = await custom(`- {name: marker, pattern: "\\\\[REDACTED:ip\\\\]", replacement: "<ip>"}\n`, ["ip_v4"]);
    expect(redactor.redact("from 10.0.0.1")).toBe("from <ip>");
  });

  test("Go group references in the replacement: $1, ${1}, ${name}, $$", async () => {
    const { redactor } = await custom(`- name: kv
  pattern: "(?P<key>password|secret)=(\\\\S+)"
  replacement: "\${key}=*** ($1/\${1}) cost $$5"
`);
    expect(redactor.redact("password=hunter2 ok")).toBe("password=*** (password/password) cost $5 ok");
  });

  test("a $ that starts no group reference is literal", async () => {
    const { redactor } = await custom(`- {name: price, pattern: "\\\\d+ USD", replacement: "$ ? and \${ and $-"}\n`);
    expect(redactor.redact("cost 12 USD")).toBe("cost $ ? and ${ and $-");
  });

  test("Go reads $1x as the (missing) group 1x, which expands to nothing", async () => {
    const { redactor } = await custom(`- {name: id, pattern: "id=(\\\\d+)", replacement: "id=$1x|\${1}x"}\n`);
    expect(redactor.redact("id=42")).toBe("id=|42x");
  });

  test("RE2 syntax: (?P<name>…) and \\z", async () => {
    const { redactor } = await custom(`- {name: tail, pattern: "(?P<t>sid=\\\\w+)\\\\z", replacement: "sid=-"}\n`);
    expect(redactor.redact("a sid=1 b sid=2")).toBe("a sid=1 b sid=-");
  });

  test("counted once per message it changed", async () => {
    const { redactor, hits } = await custom(`- {name: digits, pattern: "\\\\d", replacement: "#"}\n`);
    expect(redactor.redact("a1b2c3")).toBe("a#b#c#");
    redactor.redact("nothing");
    expect(hits).toEqual([["digits", 1]]);
  });

  test("a custom credit_card also gets the Luhn and issuer check, and counts per match", async () => {
    const { redactor, hits } = await custom(`- {name: credit_card, pattern: "\\\\d{13,16}", replacement: "<card>"}\n`);
    expect(redactor.redact("4111111111111111 1234567890123456 1700000000004 5555555555554444")).toBe(
      "<card> 1234567890123456 1700000000004 <card>",
    );
    expect(hits).toEqual([["credit_card", 2]]);
  });

  test("an empty file adds no patterns", async () => {
    const { redactor } = await custom("");
    expect(redactor.patterns).toEqual([]);
  });

  test("scalars YAML reads as numbers keep their text", async () => {
    const { redactor } = await custom("- {name: 404, pattern: 404, replacement: 0}\n");
    expect(redactor.patterns).toEqual(["404"]);
    expect(redactor.redact("status 404")).toBe("status 0");
  });
});

describe("load errors are one line and name the problem", () => {
  async function loadError(yaml: string): Promise<string> {
    const error = await custom(yaml).then(
      () => new Error("loaded"),
      (err: Error) => err,
    );
    expect(error.message).not.toContain("\n");
    return error.message;
  }

  test("unreadable file", async () => {
    const path = join(dir, "missing.yaml");
    await expect(createRedactor({ names: [], customFile: path })).rejects.toThrow(`read patterns file: open ${path}: no such file or directory`);
  });

  test("invalid YAML", async () => {
    expect(await loadError("- name: [")).toStartWith("parse patterns file: ");
  });

  test("top level is not a list", async () => {
    expect(await loadError("name: x\npattern: y\n")).toBe("parse patterns file: expected a list of {name, pattern, replacement}");
  });

  test("an entry that is not a mapping", async () => {
    expect(await loadError("- just a string\n")).toBe("parse patterns file: entry 1: expected a mapping with name, pattern and replacement");
  });

  test("missing name", async () => {
    expect(await loadError("- {name: a, pattern: a}\n- {pattern: b}\n")).toBe("parse patterns file: entry 2: missing name");
  });

  test("missing pattern, with a hint for the `regex` key upstream's docs use", async () => {
    expect(await loadError("- {name: a}\n")).toBe("parse patterns file: entry 1 (a): missing pattern");
    expect(await loadError("- {name: a, regex: x}\n")).toBe("parse patterns file: entry 1 (a): missing pattern (the key is `pattern`, not `regex`)");
  });

  test("invalid regex, in Go's words", async () => {
    expect(await loadError('- {name: bad, pattern: "a(b"}\n')).toBe("compile pattern bad: error parsing regexp: missing closing ): `a(b`");
  });

  test("what RE2 rejects: back-references and look-around", async () => {
    expect(await loadError('- {name: backref, pattern: "(a)\\\\1"}\n')).toBe(
      "compile pattern backref: error parsing regexp: invalid escape sequence: `\\1`",
    );
    expect(await loadError('- {name: ahead, pattern: "a(?=b)"}\n')).toBe(
      "compile pattern ahead: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
    );
  });

  test("a pattern that may backtrack catastrophically is refused", async () => {
    expect(await loadError('- {name: evil, pattern: "(a+)+b"}\n')).toBe(
      "compile pattern evil: pattern may backtrack catastrophically (nested quantifiers in `(a+)+`); rewrite it without nested quantifiers",
    );
  });
});
