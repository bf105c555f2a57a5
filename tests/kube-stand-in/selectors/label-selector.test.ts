// Cases transcribed from apimachinery pkg/labels/selector_test.go (TestSelectorParse, TestSelectorMatches,
// TestSetSelectorParser, TestRequirementConstructor, TestToString); error texts are the ones real API servers send
// (quoted in kubectl output and in apiserver/authorization tests).
import { describe, expect, test } from "bun:test";
import { KubeStatusError } from "../patch/status-error.ts";
import { labelSelectorFromObject, labelSelectorFromSet, parseLabelRequirements, parseLabelSelector } from "./label-selector.ts";

function parseError(text: string): KubeStatusError {
  try {
    parseLabelSelector(text);
  } catch (e) {
    expect(e).toBeInstanceOf(KubeStatusError);
    return e as KubeStatusError;
  }
  throw new Error(`${JSON.stringify(text)} parsed`);
}

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe("parseLabelSelector: valid strings and their canonical form (TestSelectorParse)", () => {
  for (const text of ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"]) {
    test(JSON.stringify(text), () => {
      expect(parseLabelSelector(text).selectorString).toBe(text.replaceAll(" ", ""));
    });
  }
  test("parsing is deterministic: requirements are sorted by key", () => {
    expect(parseLabelSelector("x=a,a=x").selectorString).toBe(parseLabelSelector("a=x,x=a").selectorString);
    expect(parseLabelSelector("x=a,a=x").selectorString).toBe("a=x,x=a");
  });
});

describe("parseLabelSelector: set-based grammar (TestSetSelectorParser)", () => {
  const cases: [string, string][] = [
    ["\rx", "x"],
    ["this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"],
    ["this-is-another-dns.domain.com/key-with-dash in (so,what)", "this-is-another-dns.domain.com/key-with-dash in (so,what)"],
    ["0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"],
    ["foo  in\t (abc)", "foo in (abc)"],
    ["x notin\n (abc)", "x notin (abc)"],
    ["x  notin\t\t\t(abc,def)", "x notin (abc,def)"],
    ["x in (abc,)", "x in (,abc)"],
    ["x in ()", "x in ()"],
    // An old copy of the test table expected "" among x's values; the parser as it is today does not add one.
    ["x notin (abc,def),bar,z in (),w", "bar,w,x notin (abc,def),z in ()"],
    ["x,y in (a)", "x,y in (a)"],
    ["x>1", "x>1"],
    ["x<7", "x<7"],
    ["x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)"],
    ["x notin ( )", "x notin ()"],
    ["x notin (, a)", "x notin (,a)"],
    ["a ", "a"],
    ["a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"],
    ["notin=in", "notin=in"],
    ["x==y", "x==y"],
    ["x in (a,,b)", "x in (,a,b)"],
  ];
  for (const [text, canonical] of cases) {
    test(JSON.stringify(text), () => expect(parseLabelSelector(text).selectorString).toBe(canonical));
  }
  test("requirements carry sorted, de-duplicated values", () => {
    expect(parseLabelRequirements("tier in (web, api, web)")).toEqual([{ key: "tier", operator: "in", values: ["api", "web"] }]);
  });
});

describe("parseLabelSelector: malformed strings give labels.Parse's message as a 400", () => {
  const cases: [string, string][] = [
    ["x=a||y=b", `unable to parse requirement: values[0][x]: Invalid value: "a||y": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`],
    ["x==a==b", "found '==', expected: ',' or 'end of string'"],
    ["!x=a", "found '=', expected: ',' or 'end of string'"],
    ["x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ["x,,y", "found ',', expected: identifier after ','"],
    [",x,y", "found ',', expected: !, identifier, or 'end of string'"],
    ["x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ["a in (xyz),", "found '', expected: identifier after ','"],
    ["a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"],
    ["a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ["a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ["a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ["(", "found '(', expected: !, identifier, or 'end of string'"],
    ["x in a", "unable to parse requirement: found 'a' expected: '('"],
    ["x=(", "unable to parse requirement: found '(', expected: identifier"],
    ["!", "unable to parse requirement: found '', expected: identifier"],
    ["x in (a", "unable to parse requirement: found '', expected: ',' or ')'"],
    // Seen in kubectl output against real clusters ("Error from server (BadRequest): ... match label selector ...").
    ["app:monolith", `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${NAME_PART}`],
    [
      "app.kubernetes_io/name=vault",
      `unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
    ["*bar", `unable to parse requirement: <nil>: Invalid value: "*bar": ${NAME_PART}`],
    [
      "a/b/c ?=? def",
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    ["/a", "unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty"],
    ["a" + "b".repeat(63), `unable to parse requirement: <nil>: Invalid value: "${"a" + "b".repeat(63)}": name part must be no more than 63 characters`],
    ["x=" + "v".repeat(64), `unable to parse requirement: values[0][x]: Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`],
  ];
  for (const [text, message] of cases) {
    test(JSON.stringify(text), () => {
      const err = parseError(text);
      expect(err.code).toBe(400);
      expect(err.message).toBe(message);
      expect(err.toStatus()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "BadRequest", code: 400 });
    });
  }
});

describe("matching (TestSelectorMatches, TestRequirementSelectorMatching)", () => {
  const yes: [string, Record<string, string>][] = [
    ["", { x: "y" }],
    ["x=y", { x: "y" }],
    ["x=y,z=w", { x: "y", z: "w" }],
    ["x!=y,z!=w", { x: "z", z: "a" }],
    ["notin=in", { notin: "in" }],
    ["x", { x: "z" }],
    ["!x", { y: "z" }],
    ["x>1", { x: "2" }],
    ["x<1", { x: "0" }],
    ["foo=bar,baz=blah", { foo: "bar", baz: "blah" }],
    ["x in (foo),y notin (alpha)", { x: "foo", y: "baz" }],
    ["x notin (),y", { y: "" }],
    ["!x,y", { y: "" }],
    ["x!=y", {}],
    ["x notin (a)", {}],
  ];
  const no: [string, Record<string, string>][] = [
    ["x=z", {}],
    ["x=y", { x: "z" }],
    ["x=y,z=w", { x: "w", z: "w" }],
    ["x!=y,z!=w", { x: "z", z: "w" }],
    ["x", { y: "z" }],
    ["!x", { x: "z" }],
    ["x>1", { x: "0" }],
    ["x<1", { x: "2" }],
    ["foo=bar,foobar=bar,baz=blah", { foo: "bar", baz: "blah" }],
    ["x in (foo),y in (alpha)", { x: "foo", y: "baz" }],
    ["x notin (),!y", { y: "" }],
    ["x in ()", { y: "baz" }],
    ["z>1", { z: "v2" }],
  ];
  for (const [text, labels] of yes) test(`${JSON.stringify(text)} matches ${JSON.stringify(labels)}`, () => expect(parseLabelSelector(text)(labels)).toBe(true));
  for (const [text, labels] of no) test(`${JSON.stringify(text)} does not match ${JSON.stringify(labels)}`, () => expect(parseLabelSelector(text)(labels)).toBe(false));
  test("an object without labels is matched as one with none", () => {
    expect(parseLabelSelector("!app")(undefined)).toBe(true);
    expect(parseLabelSelector("app")(undefined)).toBe(false);
    expect(parseLabelSelector("")(null)).toBe(true);
  });
});

describe("labelSelectorFromObject (metav1.LabelSelectorAsSelector)", () => {
  test("matchLabels and matchExpressions are ANDed", () => {
    const m = labelSelectorFromObject({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["frontend", "edge"] },
        { key: "canary", operator: "DoesNotExist" },
        { key: "team", operator: "Exists" },
        { key: "env", operator: "NotIn", values: ["prod"] },
      ],
    });
    expect(m.selectorString).toBe("app=web,!canary,env notin (prod),team,tier in (edge,frontend)");
    expect(m({ app: "web", tier: "edge", team: "a" })).toBe(true);
    expect(m({ app: "web", tier: "edge", team: "a", env: "prod" })).toBe(false);
    expect(m({ app: "web", tier: "edge", team: "a", canary: "1" })).toBe(false);
    expect(m({ app: "web", tier: "edge" })).toBe(false);
  });
  test("a missing selector matches nothing; an empty one everything", () => {
    expect(labelSelectorFromObject(undefined)({})).toBe(false);
    expect(labelSelectorFromObject(null)({ a: "b" })).toBe(false);
    expect(labelSelectorFromObject({})({ a: "b" })).toBe(true);
    expect(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] })({})).toBe(true);
  });
  test("bad operators, keys and values are 400s with NewRequirement's messages", () => {
    const err = (sel: Parameters<typeof labelSelectorFromObject>[0]) => {
      try {
        labelSelectorFromObject(sel);
      } catch (e) {
        return (e as KubeStatusError).message;
      }
      return "no error";
    };
    expect(err({ matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] })).toBe(`"Gt" is not a valid label selector operator`);
    expect(err({ matchExpressions: [{ key: "a", operator: "In", values: [] }] })).toBe(
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    );
    expect(err({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] })).toBe(
      `values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`,
    );
    expect(err({ matchLabels: { "bad key": "v" } })).toBe(`key: Invalid value: "bad key": ${NAME_PART}`);
    expect(err({ matchLabels: { k: "bad value" } })).toContain(`values[0][k]: Invalid value: "bad value": a valid label must be an empty string`);
  });
  test("TestRequirementConstructor: keys up to the limits are fine, a 254-character key is not", () => {
    for (const key of ["1foo", "1234"]) expect(() => labelSelectorFromObject({ matchExpressions: [{ key, operator: "In", values: ["bar"] }] })).not.toThrow();
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: "a".repeat(254), operator: "Exists" }] })).toThrow(KubeStatusError);
  });
});

describe("labelSelectorFromSet (a Service's spec.selector)", () => {
  test("every pair must match; an empty set matches everything", () => {
    expect(labelSelectorFromSet({ app: "web", tier: "fe" })({ app: "web", tier: "fe", x: "y" })).toBe(true);
    expect(labelSelectorFromSet({ app: "web", tier: "fe" })({ app: "web" })).toBe(false);
    expect(labelSelectorFromSet({})({})).toBe(true);
    expect(labelSelectorFromSet(undefined).selectorString).toBe("");
  });
});
