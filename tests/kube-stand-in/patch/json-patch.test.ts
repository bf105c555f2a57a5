// JSON patch: the examples of RFC 6902 Appendix A, then the behaviour of the library the API server vendors
// (gopkg.in/evanphx/json-patch.v4 patch.go, messages included) and of apiserver handlers/patch.go around it
// (strict decoding to []jsonPatchOp, the 10000-operation limit, the generic 422 of errors.NewGenericServerResponse).
import { describe, expect, test } from "bun:test";
import { applyJsonPatch } from "./json-patch.ts";
import { KubeStatusError } from "./status-error.ts";

function failure(original: unknown, ops: unknown): KubeStatusError {
  try {
    applyJsonPatch(original, ops);
  } catch (e) {
    expect(e).toBeInstanceOf(KubeStatusError);
    return e as KubeStatusError;
  }
  throw new Error("the patch applied");
}

/** The library's message for a failed operation; the Status body itself is always the generic 422. */
function opError(original: unknown, ops: unknown): string {
  const err = failure(original, ops);
  expect(err.toStatus()).toEqual({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: "the server rejected our request due to an error in our request",
    reason: "Invalid",
    details: {},
    code: 422,
  });
  return err.detail!;
}

describe("RFC 6902 Appendix A", () => {
  test("A.1 adding an object member", () => {
    expect(applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }])).toEqual({ baz: "qux", foo: "bar" });
  });
  test("A.2 adding an array element", () => {
    expect(applyJsonPatch({ foo: ["bar", "baz"] }, [{ op: "add", path: "/foo/1", value: "qux" }])).toEqual({ foo: ["bar", "qux", "baz"] });
  });
  test("A.3 removing an object member", () => {
    expect(applyJsonPatch({ baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }])).toEqual({ foo: "bar" });
  });
  test("A.4 removing an array element", () => {
    expect(applyJsonPatch({ foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }])).toEqual({ foo: ["bar", "baz"] });
  });
  test("A.5 replacing a value", () => {
    expect(applyJsonPatch({ baz: "qux", foo: "bar" }, [{ op: "replace", path: "/baz", value: "boo" }])).toEqual({ baz: "boo", foo: "bar" });
  });
  test("A.6 moving a value", () => {
    expect(
      applyJsonPatch({ foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } }, [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }]),
    ).toEqual({ foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } });
  });
  test("A.7 moving an array element", () => {
    expect(applyJsonPatch({ foo: ["all", "grass", "cows", "eat"] }, [{ op: "move", from: "/foo/1", path: "/foo/3" }])).toEqual({
      foo: ["all", "cows", "eat", "grass"],
    });
  });
  test("A.8 testing a value: success", () => {
    const doc = { baz: "qux", foo: ["a", 2, "c"] };
    expect(applyJsonPatch(doc, [{ op: "test", path: "/baz", value: "qux" }, { op: "test", path: "/foo/1", value: 2 }])).toEqual(doc);
  });
  test("A.9 testing a value: error", () => {
    expect(opError({ baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }])).toBe("testing value /baz failed: test failed");
  });
  test("A.10 adding a nested member object", () => {
    expect(applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/child", value: { grandchild: {} } }])).toEqual({ foo: "bar", child: { grandchild: {} } });
  });
  test("A.11 ignoring unrecognized elements", () => {
    expect(applyJsonPatch({ foo: "bar" }, [{ op: "add", path: "/baz", value: "qux", xyz: 123 }])).toEqual({ foo: "bar", baz: "qux" });
  });
  test("A.12 adding to a nonexistent target", () => {
    expect(opError({ foo: "bar" }, [{ op: "add", path: "/baz/bat", value: "qux" }])).toBe(`add operation does not apply: doc is missing path: "/baz/bat": missing value`);
  });
  test("A.14 ~ escape ordering", () => {
    const doc = { "/": 9, "~1": 10 };
    expect(applyJsonPatch(doc, [{ op: "test", path: "/~01", value: 10 }])).toEqual(doc);
  });
  test("A.15 comparing strings and numbers", () => {
    expect(opError({ "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: "10" }])).toBe("testing value /~01 failed: test failed");
  });
  test("A.16 adding an array value", () => {
    expect(applyJsonPatch({ foo: ["bar"] }, [{ op: "add", path: "/foo/-", value: ["abc", "def"] }])).toEqual({ foo: ["bar", ["abc", "def"]] });
  });
});

describe("json-patch.v4 semantics the API server exposes", () => {
  test("replace of a missing object member adds it (the library never checks)", () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: "replace", path: "/b", value: 2 }])).toEqual({ a: 1, b: 2 });
  });
  test("replace of a missing array index fails", () => {
    expect(opError({ a: [1] }, [{ op: "replace", path: "/a/3", value: 2 }])).toBe("replace operation does not apply: doc is missing key: /a/3: missing value");
  });
  test("test of a missing member passes against null, fails against anything else", () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: "test", path: "/b", value: null }])).toEqual({ a: 1 });
    expect(opError({ a: 1 }, [{ op: "test", path: "/b", value: 0 }])).toBe("testing value /b failed: test failed");
  });
  test("test compares structurally, member order ignored", () => {
    expect(applyJsonPatch({ a: { x: [1, { y: 2 }], z: null } }, [{ op: "test", path: "/a", value: { z: null, x: [1, { y: 2 }] } }])).toBeTruthy();
    expect(opError({ a: { x: 1 } }, [{ op: "test", path: "/a", value: { x: 1, y: null } }])).toBe("testing value /a failed: test failed");
  });
  test("copy from a missing member copies null; add without value adds null", () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: "copy", from: "/nope", path: "/b" }, { op: "add", path: "/c" }])).toEqual({ a: 1, b: null, c: null });
  });
  test("copy does not alias", () => {
    const patched = applyJsonPatch({ a: { x: 1 } }, [{ op: "copy", from: "/a", path: "/b" }, { op: "replace", path: "/b/x", value: 2 }]);
    expect(patched).toEqual({ a: { x: 1 }, b: { x: 2 } });
  });
  test("negative indices count from the end", () => {
    expect(applyJsonPatch({ a: [1, 2, 3] }, [{ op: "remove", path: "/a/-1" }])).toEqual({ a: [1, 2] });
    expect(applyJsonPatch({ a: [1, 2, 3] }, [{ op: "add", path: "/a/-1", value: 9 }])).toEqual({ a: [1, 2, 3, 9] });
    expect(applyJsonPatch({ a: [1, 2, 3] }, [{ op: "replace", path: "/a/-3", value: 0 }])).toEqual({ a: [0, 2, 3] });
  });
  test("the root can be replaced and tested", () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: "replace", path: "", value: { b: 2 } }])).toEqual({ b: 2 });
    expect(applyJsonPatch({ a: 1 }, [{ op: "test", path: "", value: { a: 1 } }])).toEqual({ a: 1 });
    expect(opError({ a: 1 }, [{ op: "replace", path: "", value: 3 }])).toBe("replace operation value must be object or array: %!w(<nil>)");
    expect(opError({ a: 1 }, [{ op: "add", path: "", value: { b: 2 } }])).toBe(`add operation does not apply: doc is missing path: "": missing value`);
  });
  test("a path without a leading slash loses its first segment", () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: "add", path: "x/b", value: 2 }])).toEqual({ a: 1, b: 2 });
  });
  test("the library's messages", () => {
    expect(opError({ a: 1 }, [{ op: "remove", path: "/b" }])).toBe("error in remove for path: '/b': Unable to remove nonexistent key: b: missing value");
    expect(opError({ a: [1] }, [{ op: "remove", path: "/a/5" }])).toBe("error in remove for path: '/a/5': Unable to access invalid index: 5: invalid index referenced");
    expect(opError({ a: [1] }, [{ op: "add", path: "/a/3", value: 1 }])).toBe("error in add for path: '/a/3': Unable to access invalid index: 3: invalid index referenced");
    expect(opError({ a: [1] }, [{ op: "add", path: "/a/x", value: 1 }])).toBe(
      `error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
    );
    expect(opError({ a: [1] }, [{ op: "remove", path: "/a/-" }])).toBe(`error in remove for path: '/a/-': strconv.Atoi: parsing "-": invalid syntax`);
    expect(opError({ a: 1 }, [{ op: "move", from: "/x", path: "/b" }])).toBe("error in move for path: 'x': Unable to remove nonexistent key: x: missing value");
    expect(opError({ a: 1 }, [{ op: "move", from: "/a", path: "/x/y" }])).toBe("move operation does not apply: doc is missing destination path: /x/y: missing value");
    expect(opError({ a: 1 }, [{ op: "copy", from: "/a/b", path: "/c" }])).toBe("copy operation does not apply: doc is missing from path: /a/b: missing value");
    expect(opError({ a: 1 }, [{ op: "test", path: "/x/y", value: 1 }])).toBe("test operation does not apply: is missing path: /x/y: missing value");
    expect(opError({ a: 1 }, [{ op: "replace", value: 1 }])).toBe("replace operation failed to decode path: operation missing path field: missing value");
    expect(opError({ a: 1 }, [{ op: "move", path: "/b" }])).toBe("move operation failed to decode from: operation, missing from field: missing value");
    expect(opError({ a: 1 }, [{ op: "frob", path: "/a" }])).toBe("Unexpected kind: frob");
    expect(opError({ a: 1 }, [null])).toBe("Unexpected kind: unknown");
  });
  test("operations apply in order and a failure leaves the input untouched", () => {
    const doc = { metadata: { resourceVersion: "7", labels: { a: "1" } } };
    opError(doc, [{ op: "add", path: "/metadata/labels/b", value: "2" }, { op: "test", path: "/metadata/resourceVersion", value: "6" }]);
    expect(doc).toEqual({ metadata: { resourceVersion: "7", labels: { a: "1" } } });
  });
});

describe("the API server around the library", () => {
  test("the body must be an array of operation objects: 400 from the strict decoding", () => {
    const message = (ops: unknown) => {
      const err = failure({}, ops);
      expect(err.code).toBe(400);
      expect(err.reason).toBe("BadRequest");
      return err.message;
    };
    expect(message({ op: "add" })).toBe("error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp");
    expect(message("x")).toBe("error decoding patch: json: cannot unmarshal string into Go value of type []handlers.jsonPatchOp");
    expect(message(["x"])).toBe("error decoding patch: json: cannot unmarshal string into Go value of type handlers.jsonPatchOp");
    expect(message([{ op: 1 }])).toBe("error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string");
    expect(message([{ op: "add", path: ["a"] }])).toBe("error decoding patch: json: cannot unmarshal array into Go struct field jsonPatchOp.path of type string");
  });
  test("a null body is an empty patch", () => {
    expect(applyJsonPatch({ a: 1 }, null)).toEqual({ a: 1 });
    expect(applyJsonPatch({ a: 1 }, [])).toEqual({ a: 1 });
  });
  test("more than 10000 operations is a 413", () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: "test", path: "/a", value: 1 }));
    expect(failure({ a: 1 }, ops).toStatus()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001",
      reason: "RequestEntityTooLarge",
      code: 413,
    });
    expect(applyJsonPatch({ a: 1 }, ops.slice(1))).toEqual({ a: 1 });
  });
  test("kubectl's optimistic-concurrency idiom: test resourceVersion, then change", () => {
    const pod = { metadata: { name: "p", resourceVersion: "41", annotations: { "example.com/x": "1" } } };
    const ops = (rv: string) => [
      { op: "test", path: "/metadata/resourceVersion", value: rv },
      { op: "add", path: "/metadata/annotations/logtap.dev~1session", value: "s1" },
    ];
    expect((applyJsonPatch(pod, ops("41")) as any).metadata.annotations).toEqual({ "example.com/x": "1", "logtap.dev/session": "s1" });
    expect(opError(pod, ops("40"))).toBe("testing value /metadata/resourceVersion failed: test failed");
  });
});
