// JSON merge patch: the examples of RFC 7396 Appendix A, with the API server's answers where it differs from the
// RFC (it only takes object bodies: apiserver handlers/patch.go decodes them into map[string]interface{} first),
// and the null pruning of gopkg.in/evanphx/json-patch.v4 merge.go.
import { describe, expect, test } from "bun:test";
import { jsonMergePatch } from "./json-merge.ts";
import { KubeStatusError } from "./status-error.ts";

describe("RFC 7396 Appendix A", () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [original, patch, result] of cases) {
    test(`${JSON.stringify(original)} + ${JSON.stringify(patch)}`, () => expect(jsonMergePatch(original, patch)).toEqual(result));
  }
});

describe("what the API server does differently", () => {
  const status = (patch: unknown) => {
    try {
      jsonMergePatch({ a: "foo" }, patch);
    } catch (e) {
      expect(e).toBeInstanceOf(KubeStatusError);
      return (e as KubeStatusError).toStatus();
    }
    throw new Error("no error");
  };
  test("a body that is not an object is a 400 from the strict decoding (RFC: the result is the patch)", () => {
    expect(status(["c"])).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}",
      reason: "BadRequest",
      code: 400,
    });
    expect(status("bar").message).toBe("error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}");
    expect(status(7).message).toBe("error decoding patch: json: cannot unmarshal number into Go value of type map[string]interface {}");
    expect(status(true).message).toBe("error decoding patch: json: cannot unmarshal bool into Go value of type map[string]interface {}");
  });
  test("a null body is MergePatch's Invalid JSON Patch", () => {
    expect(status(null)).toMatchObject({ code: 400, reason: "BadRequest", message: "Invalid JSON Patch" });
  });
  test("nulls are pruned from values copied in, null array elements too", () => {
    expect(jsonMergePatch({ a: "x" }, { b: [1, null, { c: null, d: 2 }] })).toEqual({ a: "x", b: [1, { d: 2 }] });
    // Replacing a scalar prunes as well; replacing an object with an array does not (merge() returns it as is).
    expect(jsonMergePatch({ a: "x" }, { a: [null, { c: null }] })).toEqual({ a: [{}] });
    expect(jsonMergePatch({ a: { k: 1 } }, { a: [null, { c: null }] })).toEqual({ a: [null, { c: null }] });
  });
  test("a key whose value is null in the document is replaced, not merged", () => {
    expect(jsonMergePatch({ spec: { template: { metadata: { creationTimestamp: null } } } }, { spec: { template: { metadata: { creationTimestamp: { x: null, y: 1 } } } } })).toEqual({
      spec: { template: { metadata: { creationTimestamp: { y: 1 } } } },
    });
  });
  test("inputs are not modified", () => {
    const original = { a: { b: 1 } };
    const patch = { a: { c: 2, b: null } };
    jsonMergePatch(original, patch);
    expect(original).toEqual({ a: { b: 1 } });
    expect(patch).toEqual({ a: { c: 2, b: null } });
  });
});

describe("on a Deployment: lists are replaced whole", () => {
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", annotations: { a: "1", "logtap.dev/x": "2" } },
    spec: { template: { spec: { containers: [{ name: "app", image: "app:1" }, { name: "mesh", image: "proxy:1" }] } } },
  };
  test("a tap sent as a merge patch wipes the other containers", () => {
    const patched = jsonMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: "logtap", image: "fwd:1" }] } } } }) as any;
    expect(patched.spec.template.spec.containers).toEqual([{ name: "logtap", image: "fwd:1" }]);
  });
  test("null deletes an annotation", () => {
    const patched = jsonMergePatch(deployment, { metadata: { annotations: { "logtap.dev/x": null } } }) as any;
    expect(patched.metadata.annotations).toEqual({ a: "1" });
  });
});
