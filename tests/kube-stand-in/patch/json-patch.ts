/**
 * JSON patch (RFC 6902, `application/json-patch+json`) as the API server applies it (apiserver handlers/patch.go):
 * the body is first decoded strictly into []jsonPatchOp (400 "error decoding patch: ..." when it is not an array of
 * objects with string op/path/from), more than 10000 operations is a 413, and then each operation runs with the
 * semantics of the library the server vendors, gopkg.in/evanphx/json-patch.v4, including its deviations from the
 * RFC that clients can observe:
 * - `replace` of a missing object member adds it; `test` of a missing member against `null` passes;
 * - `copy` from a missing member copies `null`; an `add` without `value` adds `null`;
 * - negative array indices count from the end; `-` appends (add only);
 * - a path without a leading "/" is read as if it had one ("a/b" is "/b"): the library splits and drops part one.
 * Any failed operation, a failed `test` included, is the server's generic 422 (the message does not say which
 * operation failed; the library's text is kept in the error's `detail`).
 */

import { goQuote, jsonKindWord } from "./go-format.ts";
import { badRequest, genericUnprocessable, requestEntityTooLarge } from "./status-error.ts";

const MAX_OPERATIONS = 10000;

type Obj = Record<string, unknown>;

/** Returns the patched document; neither argument is modified. Throws a KubeStatusError (400, 413 or 422). */
export function applyJsonPatch(original: unknown, ops: unknown): unknown {
  const operations = decodeOperations(ops);
  if (operations.length > MAX_OPERATIONS) {
    throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${operations.length}`);
  }
  let root: unknown = structuredClone(original);
  if (!isObject(root) && !Array.isArray(root)) {
    throw genericUnprocessable(`json: cannot unmarshal ${jsonKindWord(root)} into Go value of type jsonpatch.partialDoc`);
  }
  for (const op of operations) {
    try {
      root = applyOperation(root as Obj | unknown[], op);
    } catch (e) {
      if (e instanceof OpError) throw genericUnprocessable(e.message);
      throw e;
    }
  }
  return root;
}

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** kjson.UnmarshalStrict into []jsonPatchOp{Op, Path, From string; Value interface{}}: the type errors only. */
function decodeOperations(ops: unknown): (Obj | null)[] {
  if (ops === null) return []; // null decodes to an empty slice: a no-op patch
  const prefix = "error decoding patch: json: cannot unmarshal";
  if (!Array.isArray(ops)) throw badRequest(`${prefix} ${jsonKindWord(ops)} into Go value of type []handlers.jsonPatchOp`);
  for (const op of ops) {
    if (op === null) continue;
    if (!isObject(op)) throw badRequest(`${prefix} ${jsonKindWord(op)} into Go value of type handlers.jsonPatchOp`);
    for (const field of ["op", "path", "from"]) {
      const v = op[field];
      if (v !== undefined && v !== null && typeof v !== "string") {
        throw badRequest(`${prefix} ${jsonKindWord(v)} into Go struct field jsonPatchOp.${field} of type string`);
      }
    }
  }
  return ops as (Obj | null)[];
}

/** An operation's failure, with the library's message. */
class OpError extends Error {}

const missing = "missing value";
const invalidIndex = "invalid index referenced";

/** A found parent: an object member or an array slot addressed by a raw (decoded) key. */
type Container = { obj: Obj } | { ary: unknown[] };

function applyOperation(root: Obj | unknown[], op: Obj | null): Obj | unknown[] {
  const kind = typeof op?.op === "string" ? op.op : "unknown";
  const path = typeof op?.path === "string" ? op.path : undefined;
  const from = typeof op?.from === "string" ? op.from : undefined;
  const hasValue = op !== null && Object.prototype.hasOwnProperty.call(op, "value");
  const value = hasValue ? op!.value : undefined;
  const noPath = "operation missing path field: missing value";
  const noFrom = "operation, missing from field: missing value";

  switch (kind) {
    case "add": {
      if (path === undefined) throw new OpError(`add operation failed to decode path: ${missing}`);
      const found = findObject(root, path);
      if (!found) throw new OpError(`add operation does not apply: doc is missing path: "${path}": ${missing}`);
      wrap(() => add(found[0], found[1], hasValue ? structuredClone(value) : null), `error in add for path: '${path}'`);
      return root;
    }
    case "remove": {
      if (path === undefined) throw new OpError(`remove operation failed to decode path: ${missing}`);
      const found = findObject(root, path);
      if (!found) throw new OpError(`remove operation does not apply: doc is missing path: "${path}": ${missing}`);
      wrap(() => remove(found[0], found[1]), `error in remove for path: '${path}'`);
      return root;
    }
    case "replace": {
      if (path === undefined) throw new OpError(`replace operation failed to decode path: ${noPath}`);
      if (path === "") {
        // The whole document; Go formats its nil error with %w here.
        if (!isObject(value) && !Array.isArray(value)) throw new OpError("replace operation value must be object or array: %!w(<nil>)");
        return structuredClone(value) as Obj | unknown[];
      }
      const found = findObject(root, path);
      if (!found) throw new OpError(`replace operation does not apply: doc is missing path: ${path}: ${missing}`);
      try {
        get(found[0], found[1]);
      } catch {
        throw new OpError(`replace operation does not apply: doc is missing key: ${path}: ${missing}`);
      }
      wrap(() => set(found[0], found[1], hasValue ? structuredClone(value) : null), `error in remove for path: '${path}'`);
      return root;
    }
    case "move": {
      if (from === undefined) throw new OpError(`move operation failed to decode from: ${noFrom}`);
      const source = findObject(root, from);
      if (!source) throw new OpError(`move operation does not apply: doc is missing from path: ${from}: ${missing}`);
      const moved = wrap(() => get(source[0], source[1]), `error in move for path: '${source[1]}'`);
      wrap(() => remove(source[0], source[1]), `error in move for path: '${source[1]}'`);
      if (path === undefined) throw new OpError(`move operation failed to decode path: ${noPath}`);
      const target = findObject(root, path);
      if (!target) throw new OpError(`move operation does not apply: doc is missing destination path: ${path}: ${missing}`);
      wrap(() => add(target[0], target[1], moved ?? null), `error in move for path: '${path}'`);
      return root;
    }
    case "test": {
      if (path === undefined) throw new OpError(`test operation failed to decode path: ${noPath}`);
      if (path === "") {
        if (hasValue && jsonEqual(root, value)) return root;
        throw new OpError(`testing value  failed: test failed`);
      }
      const found = findObject(root, path);
      if (!found) throw new OpError(`test operation does not apply: is missing path: ${path}: ${missing}`);
      const actual = wrap(() => get(found[0], found[1]), `error in test for path: '${path}'`);
      if (actual === undefined || actual === null) {
        if (!hasValue || value === null) return root;
      } else if (hasValue && jsonEqual(actual, value)) {
        return root;
      }
      throw new OpError(`testing value ${path} failed: test failed`);
    }
    case "copy": {
      if (from === undefined) throw new OpError(`copy operation failed to decode from: ${noFrom}`);
      const source = findObject(root, from);
      if (!source) throw new OpError(`copy operation does not apply: doc is missing from path: ${from}: ${missing}`);
      const copied = wrap(() => get(source[0], source[1]), `error in copy for from: '${from}'`);
      if (path === undefined) throw new OpError(`copy operation failed to decode path: ${missing}`);
      const target = findObject(root, path);
      if (!target) throw new OpError(`copy operation does not apply: doc is missing destination path: ${path}: ${missing}`);
      wrap(() => add(target[0], target[1], copied === undefined ? null : structuredClone(copied)), "error while adding value during copy");
      return root;
    }
    default:
      throw new OpError(`Unexpected kind: ${kind}`);
  }
}

/** Runs a container operation, prefixing its error as the library's `fmt.Errorf("...: %w", err)` does. */
function wrap<T>(fn: () => T, prefix: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OpError) throw new OpError(`${prefix}: ${e.message}`);
    throw e;
  }
}

/** RFC 6901 unescaping, "~1" before "~0" in one left-to-right pass (strings.NewReplacer). */
function decodePatchKey(key: string): string {
  return key.replace(/~[01]/g, (m) => (m === "~1" ? "/" : "~"));
}

/** The parent of the last path segment, or undefined when the path does not lead to an object or array. */
function findObject(root: Obj | unknown[], path: string): [Container, string] | undefined {
  const split = path.split("/");
  if (split.length < 2) return undefined;
  let doc: Container = Array.isArray(root) ? { ary: root } : { obj: root };
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = get(doc, decodePatchKey(part));
    } catch {
      return undefined;
    }
    if (Array.isArray(next)) doc = { ary: next };
    else if (isObject(next)) doc = { obj: next };
    else return undefined; // missing, null, or a scalar
  }
  return [doc, decodePatchKey(split[split.length - 1]!)];
}

/** strconv.Atoi, with its error text. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new OpError(`strconv.Atoi: parsing ${goQuote(key)}: invalid syntax`);
  const n = BigInt(key);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new OpError(`strconv.Atoi: parsing ${goQuote(key)}: value out of range`);
  return Number(n);
}

/** An object member (undefined when absent: the library does not tell absent from null), or an array slot. */
function get(c: Container, key: string): unknown {
  if ("obj" in c) return Object.prototype.hasOwnProperty.call(c.obj, key) ? c.obj[key] : undefined;
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.ary.length) throw new OpError(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
    idx += c.ary.length;
  }
  if (idx >= c.ary.length) throw new OpError(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
  return c.ary[idx];
}

function set(c: Container, key: string, value: unknown): void {
  if ("obj" in c) {
    c.obj[key] = value;
    return;
  }
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.ary.length) throw new OpError(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
    idx += c.ary.length;
  }
  c.ary[idx] = value;
}

function add(c: Container, key: string, value: unknown): void {
  if ("obj" in c) {
    c.obj[key] = value;
    return;
  }
  if (key === "-") {
    c.ary.push(value);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new OpError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = c.ary.length + 1;
  if (idx >= size) throw new OpError(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
  if (idx < 0) {
    if (idx < -size) throw new OpError(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
    idx += size;
  }
  c.ary.splice(idx, 0, value);
}

function remove(c: Container, key: string): void {
  if ("obj" in c) {
    if (!Object.prototype.hasOwnProperty.call(c.obj, key)) throw new OpError(`Unable to remove nonexistent key: ${key}: ${missing}`);
    delete c.obj[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.ary.length) throw new OpError(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
  if (idx < 0) {
    if (idx < -c.ary.length) throw new OpError(`Unable to access invalid index: ${idx}: ${invalidIndex}`);
    idx += c.ary.length;
  }
  c.ary.splice(idx, 1);
}

/** lazyNode.equal: structural JSON equality, member order ignored. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a as Obj);
  const bo = b as Obj;
  return ka.length === Object.keys(bo).length && ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual((a as Obj)[k], bo[k]));
}
