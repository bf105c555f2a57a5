// The application half of apimachinery's own strategic merge patch tests, transcribed from
// kubernetes/apimachinery pkg/util/strategicpatch/patch_test.go and run against the same MergeItem type.
// Every case there is applied twice: the two-way patch to `original` (giving `twoWayResult`, else `modified`) and
// the three-way patch to `current` (giving `result`). The YAML cases (customStrategicMergePatchTestCaseData,
// createStrategicMergePatchTestCaseData) are compared after sortMergeListsByName, as there; the raw cases
// (customStrategicMergePatchRawTestCases, strategicMergePatchRawTestCases, replaceRawExtensionPatchTestCases)
// exactly, list order included.
import { describe, expect, test } from "bun:test";
import type { Schema } from "./smp-schema.ts";
import { KubeStatusError } from "./status-error.ts";
import { strategicMergePatchWithSchema } from "./strategic-merge.ts";

// type MergeItem / RetainKeysMergeItem in patch_test.go, with their struct tags.
const mergeItem: Schema = { name: "MergeItem", closed: true, fields: {} };
const retainKeysMergeItem: Schema = {
  name: "RetainKeysMergeItem",
  closed: true,
  fields: {
    name: {},
    value: {},
    other: {},
    simpleMap: { schema: { name: "", type: "map" } },
    mergingIntList: { strategy: "merge" },
    mergingList: { strategy: "merge", patchMergeKey: "name", schema: mergeItem },
    nonMergingList: { schema: mergeItem },
  },
};
Object.assign(mergeItem.fields!, {
  name: {},
  value: {},
  other: {},
  mergingList: { strategy: "merge", patchMergeKey: "name", schema: mergeItem },
  nonMergingList: { schema: mergeItem },
  mergingIntList: { strategy: "merge" },
  nonMergingIntList: {},
  mergeItemPtr: { strategy: "merge", patchMergeKey: "name", schema: mergeItem },
  simpleMap: { schema: { name: "", type: "map" } },
  replacingItem: { strategy: "replace" },
  retainKeysMap: { strategy: "retainKeys", schema: retainKeysMergeItem },
  retainKeysMergingList: { strategy: "merge,retainKeys", patchMergeKey: "name", schema: mergeItem },
});

const Y = (text: string | undefined): any => (text === undefined ? undefined : (Bun.YAML.parse(text) ?? {}));
const apply = (original: unknown, patch: unknown) => strategicMergePatchWithSchema(original, patch, mergeItem);

/** sortMergeListsByName for MergeItem: merging lists sorted by name (recursively), merging int lists sorted. */
function sorted(v: any): any {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const out: any = {};
  for (const [k, x] of Object.entries(v)) {
    if (["mergingList", "mergeItemPtr", "retainKeysMergingList"].includes(k) && Array.isArray(x)) {
      out[k] = x.map(sorted).sort((a: any, b: any) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
    } else if (k === "mergingIntList" && Array.isArray(x)) {
      out[k] = [...new Set(x)].sort((a: any, b: any) => (String(a) < String(b) ? -1 : 1));
    } else if (k === "retainKeysMap") {
      out[k] = sorted(x);
    } else {
      out[k] = x;
    }
  }
  return out;
}

interface Case {
  d: string;
  original?: string;
  twoWay: string;
  modified?: string;
  twoWayResult?: string;
  current?: string;
  threeWay?: string;
  result?: string;
  error?: string;
}

function run(cases: Case[], compare: "sorted" | "exact") {
  const norm = compare === "sorted" ? sorted : (x: any) => x;
  for (const c of cases) {
    test(c.d, () => {
      if (c.error) {
        let message = "";
        try {
          apply(Y(c.original) ?? {}, Y(c.twoWay));
        } catch (e) {
          expect(e).toBeInstanceOf(KubeStatusError);
          message = (e as KubeStatusError).message;
        }
        expect(message).toContain(c.error);
        return;
      }
      expect(norm(apply(Y(c.original) ?? {}, Y(c.twoWay)))).toEqual(norm(Y(c.twoWayResult ?? c.modified)));
      if (c.current !== undefined) expect(norm(apply(Y(c.current), Y(c.threeWay)))).toEqual(norm(Y(c.result)));
    });
  }
}

describe("customStrategicMergePatchTestCaseData", () => {
  run(
    [
      { d: "unique scalars when merging lists", original: "mergingIntList: [1, 2]", twoWay: "mergingIntList: [2, 3]", modified: "mergingIntList: [1, 2, 3]" },
      { d: "delete map from nested map", original: "simpleMap: {key1: 1, key2: 1}", twoWay: "simpleMap: {$patch: delete}", modified: "simpleMap: {}" },
      { d: "delete all items from merging list", original: "mergingList: [{name: 1}, {name: 2}]", twoWay: "mergingList: [{$patch: replace}]", modified: "mergingList: []" },
      { d: "merge empty merging lists", original: "mergingList: []", twoWay: "mergingList: []", modified: "mergingList: []" },
      { d: "delete all keys from map", original: "{name: 1, value: 1}", twoWay: "{$patch: replace}", modified: "{}" },
      { d: "add key and delete all keys from map", original: "{name: 1, value: 1}", twoWay: "{other: a, $patch: replace}", modified: "{other: a}" },
      {
        d: "delete all duplicate entries in a merging list",
        original: "mergingList: [{name: 1}, {name: 1}, {name: 2, value: a}, {name: 3}, {name: 3}]",
        twoWay: "mergingList: [{name: 1, $patch: delete}, {name: 3, $patch: delete}]",
        modified: "mergingList: [{name: 2, value: a}]",
      },
      { d: "retainKeys map can add a field when no retainKeys directive present", original: "retainKeysMap: {name: foo}", twoWay: "retainKeysMap: {value: bar}", modified: "retainKeysMap: {name: foo, value: bar}" },
      { d: "retainKeys map can change a field when no retainKeys directive present", original: "retainKeysMap: {name: foo, value: a}", twoWay: "retainKeysMap: {value: b}", modified: "retainKeysMap: {name: foo, value: b}" },
      { d: "retainKeys map can delete a field when no retainKeys directive present", original: "retainKeysMap: {name: foo, value: a}", twoWay: "retainKeysMap: {value: null}", modified: "retainKeysMap: {name: foo}" },
      { d: "retainKeys map merge an empty map", original: "retainKeysMap: {name: foo, value: a}", twoWay: "retainKeysMap: {}", modified: "retainKeysMap: {name: foo, value: a}" },
      {
        d: "retainKeys list can add a field when no retainKeys directive present",
        original: "retainKeysMergingList: [{name: bar}, {name: foo}]",
        twoWay: "retainKeysMergingList: [{name: foo, value: a}]",
        modified: "retainKeysMergingList: [{name: bar}, {name: foo, value: a}]",
      },
      {
        d: "retainKeys list can delete a field when no retainKeys directive present",
        original: "retainKeysMergingList: [{name: bar}, {name: foo, value: a}]",
        twoWay: "retainKeysMergingList: [{name: foo, value: null}]",
        modified: "retainKeysMergingList: [{name: bar}, {name: foo}]",
      },
      {
        d: "preserve the order from the patch in a merging list",
        original: "mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]",
        twoWay: "mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, other: x}]",
        modified: "mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, value: b, other: x}]",
      },
      { d: "preserve the order from the patch in a merging int list", original: "mergingIntList: [1, 2, 3]", twoWay: "mergingIntList: [3, 1, 2]", modified: "mergingIntList: [3, 1, 2]" },
    ],
    "sorted",
  );
});

describe("customStrategicMergePatchRawTestCases", () => {
  run(
    [
      {
        d: "$setElementOrder contains item that is not present in the list to be merged",
        original: "mergingList: [{name: 1}, {name: 3}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 3}, {name: 2}, {name: 1}], mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}",
        modified: "mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]",
      },
      {
        d: "$setElementOrder contains item that is not present in the int list to be merged",
        original: "mergingIntList: [1, 3]",
        twoWay: "$setElementOrder/mergingIntList: [3, 2, 1]",
        modified: "mergingIntList: [3, 1]",
      },
      {
        d: "should check if order in $setElementOrder and patch list match",
        original: "mergingList: [{name: 1}, {name: 3}, {name: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}",
        error: "doesn't match",
      },
      {
        d: "should check if order in $setElementOrder and patch int list match",
        original: "mergingIntList: [1, 3, 2]",
        twoWay: "{$setElementOrder/mergingIntList: [1, 2, 3], mergingIntList: [3, 1]}",
        error: "doesn't match",
      },
      { d: "missing merge key should error out", original: "mergingList: [{name: 1, value: a}]", twoWay: "mergingList: [{value: b}]", error: "does not contain declared merge key" },
      {
        d: "$deleteFromPrimitiveList of nonexistent item in primitive list should not add the item to the list",
        original: "mergingIntList: [1, 2]",
        twoWay: "$deleteFromPrimitiveList/mergingIntList: [3]",
        modified: "mergingIntList: [1, 2]",
      },
      { d: "$deleteFromPrimitiveList on empty primitive list should not add the item to the list", original: "mergingIntList:", twoWay: "$deleteFromPrimitiveList/mergingIntList: [3]", modified: "mergingIntList:" },
      { d: "$deleteFromPrimitiveList on nonexistent primitive list should not add the primitive list", original: "foo: [bar]", twoWay: "$deleteFromPrimitiveList/mergingIntList: [3]", modified: "foo: [bar]" },
      { d: "$deleteFromPrimitiveList should delete item from a list with merge patch strategy", original: "mergingIntList: [1, 2, 3]", twoWay: "$deleteFromPrimitiveList/mergingIntList: [2]", modified: "mergingIntList: [1, 3]" },
      {
        d: "$deleteFromPrimitiveList should delete item from a list without merge patch strategy",
        original: "nonMergingIntList: [1, 2, 3]",
        twoWay: "$deleteFromPrimitiveList/nonMergingIntList: [2]",
        modified: "nonMergingIntList: [1, 3]",
      },
    ],
    "exact",
  );
});

describe("createStrategicMergePatchTestCaseData", () => {
  run(
    [
      { d: "nil original", twoWay: "{name: 1, value: 1}", modified: "{name: 1, value: 1}", current: "{name: 1, other: a}", threeWay: "{value: 1}", result: "{name: 1, value: 1, other: a}" },
      { d: "nil patch", original: "{name: 1}", twoWay: "{}", modified: "{name: 1}", current: "{name: 1}", threeWay: "{}", result: "{name: 1}" },
      { d: "add field to map", original: "{name: 1}", twoWay: "{value: 1}", modified: "{name: 1, value: 1}", current: "{name: 1, other: a}", threeWay: "{value: 1}", result: "{name: 1, value: 1, other: a}" },
      { d: "add field and delete field from map", original: "{name: 1}", twoWay: "{name: null, value: 1}", modified: "{value: 1}", current: "{name: 1, other: a}", threeWay: "{name: null, value: 1}", result: "{value: 1, other: a}" },
      {
        d: "delete field from nested map",
        original: "simpleMap: {key1: 1, key2: 1}",
        twoWay: "simpleMap: {key2: null}",
        modified: "simpleMap: {key1: 1}",
        current: "simpleMap: {key1: 1, key2: 1, other: a}",
        threeWay: "simpleMap: {key2: null}",
        result: "simpleMap: {key1: 1, other: a}",
      },
      {
        d: "delete all fields from map",
        original: "{name: 1, value: 1}",
        twoWay: "{name: null, value: null}",
        modified: "{}",
        current: "{name: 1, value: 1, other: a}",
        threeWay: "{name: null, value: null}",
        result: "{other: a}",
      },
      {
        d: "replace list of scalars",
        original: "nonMergingIntList: [1, 2]",
        twoWay: "nonMergingIntList: [2, 3]",
        modified: "nonMergingIntList: [2, 3]",
        current: "nonMergingIntList: [1, 2]",
        threeWay: "nonMergingIntList: [2, 3]",
        result: "nonMergingIntList: [2, 3]",
      },
      {
        d: "delete all maps from merging list",
        original: "mergingList: [{name: 1}, {name: 2}]",
        twoWay: "mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]",
        modified: "mergingList: []",
        current: "mergingList: [{name: 1, other: a}, {name: 2, other: b}]",
        threeWay: "mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]",
        result: "mergingList: []",
      },
      {
        d: "delete all maps from empty merging list",
        original: "mergingList: [{name: 1}, {name: 2}]",
        twoWay: "mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]",
        modified: "mergingList: []",
        current: "mergingList: []",
        threeWay: "mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]",
        result: "mergingList: []",
      },
      {
        d: "defined null values should propagate overwrite current fields (with conflict)",
        original: "{name: 2}",
        twoWay: "{name: 1, value: 1, other: null}",
        twoWayResult: "{name: 1, value: 1}",
        current: "{name: a, other: a}",
        threeWay: "{name: 1, value: 1, other: null}",
        result: "{name: 1, value: 1}",
      },
      {
        d: "defined null values should propagate removing original fields",
        original: "{name: original-name, value: original-value}",
        twoWay: "{name: modified-name, value: null}",
        twoWayResult: "{name: modified-name}",
        current: "{name: original-name, value: original-value, other: current-other}",
        threeWay: "{name: modified-name, value: null}",
        result: "{name: modified-name, other: current-other}",
      },
      {
        d: "retainKeys map with no change should not be present",
        original: "{name: a, retainKeysMap: {name: foo}}",
        twoWay: "{value: b}",
        modified: "{name: a, value: b, retainKeysMap: {name: foo}}",
        current: "{name: a, other: c, retainKeysMap: {name: foo}}",
        threeWay: "{value: b}",
        result: "{name: a, value: b, other: c, retainKeysMap: {name: foo}}",
      },
    ],
    "sorted",
  );
});

describe("strategicMergePatchRawTestCases", () => {
  run(
    [
      {
        d: "nested patch merge with empty list",
        original: "name: hi",
        twoWay: "mergingList: [{name: hello}, {$patch: delete, name: doesntexist}]",
        twoWayResult: "{name: hi, mergingList: [{name: hello}]}",
        current: "{name: hi, mergingList: [{name: hello2}]}",
        threeWay: "{$setElementOrder/mergingList: [{name: hello}, {name: doesntexist}], mergingList: [{name: hello}, {$patch: delete, name: doesntexist}]}",
        result: "{name: hi, mergingList: [{name: hello}, {name: hello2}]}",
      },
      {
        d: "delete items in lists of scalars",
        original: "mergingIntList: [1, 2, 3]",
        twoWay: "{$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}",
        modified: "mergingIntList: [1, 2]",
        current: "mergingIntList: [1, 2, 3, 4]",
        threeWay: "{$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}",
        result: "mergingIntList: [1, 2, 4]",
      },
      {
        d: "delete all duplicate items in lists of scalars",
        original: "mergingIntList: [1, 2, 3, 3]",
        twoWay: "{$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}",
        modified: "mergingIntList: [1, 2]",
        current: "mergingIntList: [1, 2, 3, 3, 4]",
        threeWay: "{$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}",
        result: "mergingIntList: [1, 2, 4]",
      },
      {
        d: "add and delete items in lists of scalars",
        original: "mergingIntList: [1, 2, 3]",
        twoWay: "{$setElementOrder/mergingIntList: [1, 2, 4], $deleteFromPrimitiveList/mergingIntList: [3], mergingIntList: [4]}",
        modified: "mergingIntList: [1, 2, 4]",
        current: "mergingIntList: [1, 2, 3, 4]",
        threeWay: "{$setElementOrder/mergingIntList: [1, 2, 4], $deleteFromPrimitiveList/mergingIntList: [3]}",
        result: "mergingIntList: [1, 2, 4]",
      },
      {
        d: "merge lists of maps",
        original: "mergingList: [{name: 1}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}",
        modified: "mergingList: [{name: 4, value: 4}, {name: 1}, {name: 2, value: 2}, {name: 3, value: 3}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}",
        result: "mergingList: [{name: 4, value: 4}, {name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
      },
      {
        d: "merge lists of maps with conflict",
        original: "mergingList: [{name: 1}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 3, value: 3}]}",
        modified: "mergingList: [{name: 1}, {name: 2, value: 2}, {name: 3, value: 3}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 3, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 2, value: 2}, {name: 3, value: 3}]}",
        result: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
      },
      {
        d: "add field to map in merging list with conflict",
        original: "mergingList: [{name: 1}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: 1}]}",
        modified: "mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]",
        current: "mergingList: [{name: 1, other: a}, {name: 3, value: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}",
        result: "mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2}, {name: 3, value: 2, other: b}]",
      },
      {
        d: "add an item that already exists in current object in merging list",
        original: "mergingList: [{name: 1, value: a}, {name: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 3}]}",
        modified: "mergingList: [{name: 1, value: a}, {name: 2}, {name: 3}]",
        current: "mergingList: [{name: 1, value: a, other: x}, {name: 2}, {name: 3}]",
        threeWay: "{}",
        result: "mergingList: [{name: 1, value: a, other: x}, {name: 2}, {name: 3}]",
      },
      {
        d: "replace map field value in merging list",
        original: "mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: a}]}",
        modified: "mergingList: [{name: 1, value: a}, {name: 2, value: 2}]",
        current: "mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: a}]}",
        result: "mergingList: [{name: 1, value: a, other: a}, {name: 2, value: 2, other: b}]",
      },
      {
        d: "delete map from merging list",
        original: "mergingList: [{name: 1}, {name: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 2}], mergingList: [{name: 1, $patch: delete}]}",
        modified: "mergingList: [{name: 2}]",
        current: "mergingList: [{name: 1}, {name: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 2}], mergingList: [{name: 1, $patch: delete}]}",
        result: "mergingList: [{name: 2, other: b}]",
      },
      {
        d: "delete missing map from merging list with conflict",
        original: "mergingList: [{name: 1}, {name: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 2}], mergingList: [{name: 1, $patch: delete}]}",
        modified: "mergingList: [{name: 2}]",
        current: "mergingList: [{name: 3, other: a}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 2}], mergingList: [{name: 2}, {name: 1, $patch: delete}]}",
        result: "mergingList: [{name: 2}, {name: 3, other: a}]",
      },
      {
        d: "add map and delete map from merging list",
        original: "mergingList: [{name: 1}, {name: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 2}, {name: 3}], mergingList: [{name: 3}, {name: 1, $patch: delete}]}",
        modified: "mergingList: [{name: 2}, {name: 3}]",
        current: "mergingList: [{name: 1}, {name: 2, other: b}, {name: 4, other: c}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 2}, {name: 3}], mergingList: [{name: 3}, {name: 1, $patch: delete}]}",
        result: "mergingList: [{name: 2, other: b}, {name: 4, other: c}, {name: 3}]",
      },
      {
        d: "add map and delete map from merging list with conflict",
        original: "mergingList: [{name: 1}, {name: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 2}, {name: 3}], mergingList: [{name: 3}, {name: 1, $patch: delete}]}",
        modified: "mergingList: [{name: 2}, {name: 3}]",
        current: "mergingList: [{name: 1, other: a}, {name: 4, other: c}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 2}, {name: 3}], mergingList: [{name: 2}, {name: 3}, {name: 1, $patch: delete}]}",
        result: "mergingList: [{name: 4, other: c}, {name: 2}, {name: 3}]",
      },
      {
        d: "delete field from map in merging list",
        original: "mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: null}]}",
        modified: "mergingList: [{name: 1}, {name: 2, value: 2}]",
        current: "mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: null}]}",
        result: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]",
      },
      {
        d: "replace non merging list nested in merging list",
        original: "mergingList: [{name: 1, nonMergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}]}",
        modified: "mergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}, {name: 2}]",
        current: "mergingList: [{name: 1, other: a, nonMergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}]}",
        result: "mergingList: [{name: 1, other: a, nonMergingList: [{name: 1, value: 1}]}, {name: 2, other: b}]",
      },
      {
        d: "add field to map in merging list nested in merging list with value conflict",
        original: "mergingList: [{name: 1, mergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2}]",
        twoWay:
          "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{$setElementOrder/mergingList: [{name: 1}, {name: 2}], name: 1, mergingList: [{name: 1, value: 1}]}]}",
        modified: "mergingList: [{name: 1, mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}, {name: 2}]",
        current: "mergingList: [{name: 1, other: a, mergingList: [{name: 1, value: a, other: c}, {name: 2, value: b, other: d}]}, {name: 2, other: b}]",
        threeWay:
          "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{$setElementOrder/mergingList: [{name: 1}, {name: 2}], name: 1, mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}]}",
        result: "mergingList: [{name: 1, other: a, mergingList: [{name: 1, value: 1, other: c}, {name: 2, value: 2, other: d}]}, {name: 2, other: b}]",
      },
      {
        d: "add field to map in merging list nested in merging list with deletion conflict (reordered)",
        original: "mergingList: [{name: 1, mergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2}]",
        twoWay:
          "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{$setElementOrder/mergingList: [{name: 2}, {name: 1}], name: 1, mergingList: [{name: 1, value: 1}]}]}",
        modified: "mergingList: [{name: 1, mergingList: [{name: 2, value: 2}, {name: 1, value: 1}]}, {name: 2}]",
        current: "mergingList: [{name: 1, other: a, mergingList: [{name: 2, value: 2, other: d}]}, {name: 2, other: b}]",
        threeWay:
          "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{$setElementOrder/mergingList: [{name: 2}, {name: 1}], name: 1, mergingList: [{name: 1, value: 1}]}]}",
        result: "mergingList: [{name: 1, other: a, mergingList: [{name: 2, value: 2, other: d}, {name: 1, value: 1}]}, {name: 2, other: b}]",
      },
      {
        d: "add map to merging list by pointer",
        original: "mergeItemPtr: [{name: 1}]",
        twoWay: "{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], mergeItemPtr: [{name: 2}]}",
        modified: "mergeItemPtr: [{name: 1}, {name: 2}]",
        current: "mergeItemPtr: [{name: 1, other: a}, {name: 3}]",
        threeWay: "{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], mergeItemPtr: [{name: 2}]}",
        result: "mergeItemPtr: [{name: 1, other: a}, {name: 2}, {name: 3}]",
      },
      {
        d: "add map to merging list by pointer with conflict",
        original: "mergeItemPtr: [{name: 1}]",
        twoWay: "{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], mergeItemPtr: [{name: 2}]}",
        modified: "mergeItemPtr: [{name: 1}, {name: 2}]",
        current: "mergeItemPtr: [{name: 3}]",
        threeWay: "{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], mergeItemPtr: [{name: 1}, {name: 2}]}",
        result: "mergeItemPtr: [{name: 1}, {name: 2}, {name: 3}]",
      },
      {
        d: "merge lists of scalars",
        original: "mergingIntList: [1, 2]",
        twoWay: "{$setElementOrder/mergingIntList: [1, 2, 3], mergingIntList: [3]}",
        modified: "mergingIntList: [1, 2, 3]",
        current: "mergingIntList: [1, 2, 4]",
        threeWay: "{$setElementOrder/mergingIntList: [1, 2, 3], mergingIntList: [3]}",
        result: "mergingIntList: [1, 2, 3, 4]",
      },
      {
        d: "add an item in a list of primitives and preserve order",
        original: "mergingIntList: [1, 2]",
        twoWay: "{$setElementOrder/mergingIntList: [3, 1, 2], mergingIntList: [3]}",
        modified: "mergingIntList: [3, 1, 2]",
        current: "mergingIntList: [1, 4, 2]",
        threeWay: "{$setElementOrder/mergingIntList: [3, 1, 2], mergingIntList: [3]}",
        result: "mergingIntList: [3, 1, 4, 2]",
      },
      {
        d: "delete an item in a list of primitives and preserve order",
        original: "mergingIntList: [1, 2, 3]",
        twoWay: "{$setElementOrder/mergingIntList: [2, 1], $deleteFromPrimitiveList/mergingIntList: [3]}",
        modified: "mergingIntList: [2, 1]",
        current: "mergingIntList: [1, 2, 3]",
        threeWay: "{$setElementOrder/mergingIntList: [2, 1], $deleteFromPrimitiveList/mergingIntList: [3]}",
        result: "mergingIntList: [2, 1]",
      },
      {
        d: "add an item in a list and preserve order",
        original: "mergingList: [{name: 1}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 3}, {name: 1}, {name: 2}], mergingList: [{name: 3, value: 3}]}",
        modified: "mergingList: [{name: 3, value: 3}, {name: 1}, {name: 2, value: 2}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 3}, {name: 1}, {name: 2}], mergingList: [{name: 3, value: 3}]}",
        result: "mergingList: [{name: 3, value: 3}, {name: 1, other: a}, {name: 2, value: 2, other: b}]",
      },
      {
        d: "add multiple items in a list and preserve order",
        original: "mergingList: [{name: 1}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 4}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}",
        modified: "mergingList: [{name: 1}, {name: 4, value: 4}, {name: 2, value: 2}, {name: 3, value: 3}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 4}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}",
        result: "mergingList: [{name: 1, other: a}, {name: 4, value: 4}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
      },
      {
        d: "delete an item in a list and preserve order",
        original: "mergingList: [{name: 1}, {name: 3, value: 3}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 2}, {name: 1}], mergingList: [{name: 3, $patch: delete}]}",
        modified: "mergingList: [{name: 2, value: 2}, {name: 1}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 2}, {name: 1}], mergingList: [{name: 3, $patch: delete}]}",
        result: "mergingList: [{name: 2, value: 2, other: b}, {name: 1, other: a}]",
      },
      {
        d: "add and delete an item in a list and preserve order",
        original: "mergingList: [{name: 1}, {name: 3, value: 3}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 4}, {name: 2}, {name: 1}], mergingList: [{name: 4, value: 4}, {name: 3, $patch: delete}]}",
        modified: "mergingList: [{name: 4, value: 4}, {name: 2, value: 2}, {name: 1}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 4}, {name: 2}, {name: 1}], mergingList: [{name: 4, value: 4}, {name: 3, $patch: delete}]}",
        result: "mergingList: [{name: 4, value: 4}, {name: 2, value: 2, other: b}, {name: 1, other: a}]",
      },
      {
        d: "set elements order in a list with server-only items 2",
        original: "mergingList: [{name: 1}, {name: 2, value: 2}, {name: 3, value: 3}, {name: 4, value: 4}]",
        twoWay: "$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]",
        modified: "mergingList: [{name: 2, value: 2}, {name: 1}, {name: 4, value: 4}, {name: 3, value: 3}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 2}, {name: 9}, {name: 3, value: 3}, {name: 4, value: 4}]",
        threeWay: "$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]",
        result: "mergingList: [{name: 2, value: 2}, {name: 1, other: a}, {name: 9}, {name: 4, value: 4}, {name: 3, value: 3}]",
      },
      {
        d: "set elements order in a list with server-only items 3",
        original: "mergingList: [{name: 1}, {name: 2, value: 2}, {name: 3, value: 3}, {name: 4, value: 4}]",
        twoWay: "$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]",
        modified: "mergingList: [{name: 2, value: 2}, {name: 1}, {name: 4, value: 4}, {name: 3, value: 3}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 2}, {name: 7}, {name: 9}, {name: 8}, {name: 3, value: 3}, {name: 4, value: 4}]",
        threeWay: "$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]",
        result: "mergingList: [{name: 2, value: 2}, {name: 1, other: a}, {name: 7}, {name: 9}, {name: 8}, {name: 4, value: 4}, {name: 3, value: 3}]",
      },
      {
        d: "set elements order in a int list with server-only items 3",
        original: "mergingIntList: [1, 2, 3, 4]",
        twoWay: "$setElementOrder/mergingIntList: [2, 1, 4, 3]",
        modified: "mergingIntList: [2, 1, 4, 3]",
        current: "mergingIntList: [1, 2, 7, 9, 8, 3, 4]",
        threeWay: "$setElementOrder/mergingIntList: [2, 1, 4, 3]",
        result: "mergingIntList: [2, 1, 7, 9, 8, 4, 3]",
      },
      {
        d: "add field to map in merging list by pointer with conflict",
        original: "mergeItemPtr: [{name: 1, mergeItemPtr: [{name: 1}, {name: 2, value: 2}]}, {name: 2}]",
        twoWay:
          "{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], mergeItemPtr: [{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], name: 1, mergeItemPtr: [{name: 1, value: 1}]}]}",
        modified: "mergeItemPtr: [{name: 1, mergeItemPtr: [{name: 1, value: 1}, {name: 2, value: 2}]}, {name: 2}]",
        current: "mergeItemPtr: [{name: 1, other: a, mergeItemPtr: [{name: 1, value: a}, {name: 2, value: 2, other: b}]}, {name: 2, other: b}]",
        threeWay:
          "{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], mergeItemPtr: [{$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}], name: 1, mergeItemPtr: [{name: 1, value: 1}]}]}",
        result: "mergeItemPtr: [{name: 1, other: a, mergeItemPtr: [{name: 1, value: 1}, {name: 2, value: 2, other: b}]}, {name: 2, other: b}]",
      },
      {
        d: "delete missing field from map in merging list with conflict",
        original: "mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: null}]}",
        modified: "mergingList: [{name: 1}, {name: 2, value: 2}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, other: b}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: null}, {name: 2, value: 2}]}",
        result: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]",
      },
      {
        d: "change an item in a list and preserve order",
        original: "mergingList: [{name: 1}, {name: 3, value: 3}, {name: 2, value: 2}]",
        twoWay: "{$setElementOrder/mergingList: [{name: 2}, {name: 3}, {name: 1}], mergingList: [{name: 3, value: x}]}",
        modified: "mergingList: [{name: 2, value: 2}, {name: 3, value: x}, {name: 1}]",
        current: "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
        threeWay: "{$setElementOrder/mergingList: [{name: 2}, {name: 3}, {name: 1}], mergingList: [{name: 3, value: x}]}",
        result: "mergingList: [{name: 2, value: 2, other: b}, {name: 3, value: x}, {name: 1, other: a}]",
      },
      {
        d: "set elements order in a list with server-only items",
        original: "mergingList: [{name: 1}, {name: 3, value: 3}, {name: 4, value: 4}, {name: 2, value: 2}]",
        twoWay: "$setElementOrder/mergingList: [{name: 4}, {name: 2}, {name: 3}, {name: 1}]",
        modified: "mergingList: [{name: 4, value: 4}, {name: 2, value: 2}, {name: 3, value: 3}, {name: 1}]",
        current: "mergingList: [{name: 1, other: a}, {name: 3, value: 3}, {name: 4, value: 4}, {name: 2, value: 2}, {name: 9}]",
        threeWay: "$setElementOrder/mergingList: [{name: 4}, {name: 2}, {name: 3}, {name: 1}]",
        result: "mergingList: [{name: 4, value: 4}, {name: 2, value: 2}, {name: 3, value: 3}, {name: 1, other: a}, {name: 9}]",
      },
      {
        d: "add multiple items in a int list and preserve order",
        original: "mergingIntList: [1, 2]",
        twoWay: "{$setElementOrder/mergingIntList: [1, 4, 2, 3], mergingIntList: [4, 3]}",
        modified: "mergingIntList: [1, 4, 2, 3]",
        current: "mergingIntList: [1, 2]",
        threeWay: "{$setElementOrder/mergingIntList: [1, 4, 2, 3], mergingIntList: [4, 3]}",
        result: "mergingIntList: [1, 4, 2, 3]",
      },
      {
        d: "add and delete an item in a int list and preserve order",
        original: "mergingIntList: [1, 3, 2]",
        twoWay: "{$setElementOrder/mergingIntList: [4, 2, 1], mergingIntList: [4], $deleteFromPrimitiveList/mergingIntList: [3]}",
        modified: "mergingIntList: [4, 2, 1]",
        current: "mergingIntList: [1, 2, 3]",
        threeWay: "{$setElementOrder/mergingIntList: [4, 2, 1], mergingIntList: [4], $deleteFromPrimitiveList/mergingIntList: [3]}",
        result: "mergingIntList: [4, 2, 1]",
      },
      {
        d: "set elements order in a int list with server-only items 2",
        original: "mergingIntList: [1, 2, 3, 4]",
        twoWay: "$setElementOrder/mergingIntList: [2, 1, 4, 3]",
        modified: "mergingIntList: [2, 1, 4, 3]",
        current: "mergingIntList: [1, 2, 9, 3, 4]",
        threeWay: "$setElementOrder/mergingIntList: [2, 1, 4, 3]",
        result: "mergingIntList: [2, 1, 9, 4, 3]",
      },
      {
        d: "add duplicate field to map in merging int list",
        original: "mergingIntList: [1, 2]",
        twoWay: "{$setElementOrder/mergingIntList: [1, 2, 3], mergingIntList: [3]}",
        modified: "mergingIntList: [1, 2, 3]",
        current: "mergingIntList: [1, 2, 3]",
        threeWay: "{}",
        result: "mergingIntList: [1, 2, 3]",
      },
      {
        d: "retainKeys map replaces non-merging list",
        original: "retainKeysMap: {name: foo, value: bar, nonMergingList: [{name: a}, {name: b}]}",
        twoWay: "retainKeysMap: {$retainKeys: [name, nonMergingList, value], nonMergingList: [{name: a}, {name: c}, {name: b}]}",
        modified: "retainKeysMap: {name: foo, value: bar, nonMergingList: [{name: a}, {name: c}, {name: b}]}",
        current: "retainKeysMap: {name: foo, value: bar, nonMergingList: [{name: a}, {name: b}]}",
        threeWay: "retainKeysMap: {$retainKeys: [name, nonMergingList, value], nonMergingList: [{name: a}, {name: c}, {name: b}]}",
        result: "retainKeysMap: {name: foo, value: bar, nonMergingList: [{name: a}, {name: c}, {name: b}]}",
      },
      {
        d: "retainKeys map adds an item in nested merging list",
        original: "retainKeysMap: {name: foo, mergingList: [{name: a}, {name: b}]}",
        twoWay: "retainKeysMap: {$retainKeys: [mergingList, name], $setElementOrder/mergingList: [{name: a}, {name: b}, {name: c}], mergingList: [{name: c}]}",
        modified: "retainKeysMap: {name: foo, mergingList: [{name: a}, {name: b}, {name: c}]}",
        current: "retainKeysMap: {name: foo, mergingList: [{name: a}, {name: b}, {name: x}]}",
        threeWay: "retainKeysMap: {$retainKeys: [mergingList, name], $setElementOrder/mergingList: [{name: a}, {name: b}, {name: c}], mergingList: [{name: c}]}",
        result: "retainKeysMap: {name: foo, mergingList: [{name: a}, {name: b}, {name: c}, {name: x}]}",
      },
      {
        d: "retainKeys list of maps clears a field",
        original: "retainKeysMergingList: [{name: bar}, {name: foo, value: a}]",
        twoWay: "{}",
        modified: "retainKeysMergingList: [{name: bar}, {name: foo, value: a}]",
        current: "retainKeysMergingList: [{name: bar}, {name: foo, value: a, other: x}]",
        threeWay: "{$setElementOrder/retainKeysMergingList: [{name: bar}, {name: foo}], retainKeysMergingList: [{$retainKeys: [name, value], name: foo}]}",
        result: "retainKeysMergingList: [{name: bar}, {name: foo, value: a}]",
      },
      {
        d: "behavior of set element order for a merging list with duplicate",
        original: "mergingList: [{name: 1}, {name: 2, value: dup1}, {name: 3}, {name: 2, value: dup2}, {name: 4}]",
        twoWay: "$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}, {name: 2}]",
        twoWayResult: "mergingList: [{name: 2, value: dup1}, {name: 2, value: dup2}, {name: 1}, {name: 4}, {name: 3}]",
        current: "mergingList: [{name: 1}, {name: 2, value: dup1}, {name: 3}, {name: 2, value: dup2}, {name: 4}]",
        threeWay: "$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}, {name: 2}]",
        result: "mergingList: [{name: 2, value: dup1}, {name: 2, value: dup2}, {name: 1}, {name: 4}, {name: 3}]",
      },
      {
        d: "behavior of set element order for a merging int list with duplicate",
        original: "mergingIntList: [1, 2, 3, 2, 4]",
        twoWay: "$setElementOrder/mergingIntList: [2, 1, 4, 3, 2]",
        twoWayResult: "mergingIntList: [2, 2, 1, 4, 3]",
        current: "mergingIntList: [1, 2, 3, 2, 4]",
        threeWay: "$setElementOrder/mergingIntList: [2, 1, 4, 3, 2]",
        result: "mergingIntList: [2, 2, 1, 4, 3]",
      },
      {
        d: "retainKeys map should clear defaulted field with conflict (discriminated union)",
        original: "{}",
        twoWay: "retainKeysMap: {name: type2, other: bar}",
        modified: "retainKeysMap: {name: type2, other: bar}",
        current: "retainKeysMap: {name: type1, value: foo}",
        threeWay: "retainKeysMap: {$retainKeys: [name, other], name: type2, other: bar}",
        result: "retainKeysMap: {name: type2, other: bar}",
      },
      {
        d: "retainKeys map adds a field and clear a field",
        original: "retainKeysMap: {name: foo}",
        twoWay: "retainKeysMap: {$retainKeys: [name, value], value: bar}",
        modified: "retainKeysMap: {name: foo, value: bar}",
        current: "retainKeysMap: {name: foo, other: a}",
        threeWay: "retainKeysMap: {$retainKeys: [name, value], value: bar}",
        result: "retainKeysMap: {name: foo, value: bar}",
      },
      {
        d: "retainKeys map deletes a field and clears a field",
        original: "retainKeysMap: {name: foo, value: bar}",
        twoWay: "retainKeysMap: {$retainKeys: [name], value: null}",
        modified: "retainKeysMap: {name: foo}",
        current: "retainKeysMap: {name: foo, value: bar, other: a}",
        threeWay: "retainKeysMap: {$retainKeys: [name], value: null}",
        result: "retainKeysMap: {name: foo}",
      },
      {
        d: "retainKeys map adds a field in a nested map",
        original: "retainKeysMap: {name: foo, value: bar, simpleMap: {key1: a}}",
        twoWay: "retainKeysMap: {$retainKeys: [name, simpleMap, value], simpleMap: {key2: b}}",
        modified: "retainKeysMap: {name: foo, value: bar, simpleMap: {key1: a, key2: b}}",
        current: "retainKeysMap: {name: foo, value: bar, simpleMap: {key1: a, key3: c}}",
        threeWay: "retainKeysMap: {$retainKeys: [name, simpleMap, value], simpleMap: {key2: b}}",
        result: "retainKeysMap: {name: foo, value: bar, simpleMap: {key1: a, key2: b, key3: c}}",
      },
      {
        d: "retainKeys map nested merging int list with no change",
        original: "retainKeysMap: {name: foo, mergingIntList: [1, 2]}",
        twoWay: "retainKeysMap: {$retainKeys: [mergingIntList, name, value], value: bar}",
        modified: "retainKeysMap: {name: foo, value: bar, mergingIntList: [1, 2]}",
        current: "retainKeysMap: {name: foo, mergingIntList: [1, 2, 3]}",
        threeWay: "retainKeysMap: {$retainKeys: [mergingIntList, name, value], $setElementOrder/mergingIntList: [1, 2], value: bar}",
        result: "retainKeysMap: {name: foo, value: bar, mergingIntList: [1, 2, 3]}",
      },
      {
        d: "retainKeys map adds an item and deletes an item in nested merging int list",
        original: "retainKeysMap: {name: foo, mergingIntList: [1, 2, 3]}",
        twoWay:
          "retainKeysMap: {$retainKeys: [mergingIntList, name], mergingIntList: [5], $deleteFromPrimitiveList/mergingIntList: [2], $setElementOrder/mergingIntList: [1, 3, 5]}",
        modified: "retainKeysMap: {name: foo, mergingIntList: [1, 3, 5]}",
        current: "retainKeysMap: {name: foo, mergingIntList: [1, 2, 3, 4]}",
        threeWay:
          "retainKeysMap: {$retainKeys: [mergingIntList, name], mergingIntList: [5], $deleteFromPrimitiveList/mergingIntList: [2], $setElementOrder/mergingIntList: [1, 3, 5]}",
        result: "retainKeysMap: {name: foo, mergingIntList: [1, 3, 5, 4]}",
      },
      {
        d: "retainKeys map deletes an item in nested merging list",
        original: "retainKeysMap: {name: foo, mergingList: [{name: a}, {name: b}]}",
        twoWay: "retainKeysMap: {$retainKeys: [mergingList, name], $setElementOrder/mergingList: [{name: a}], mergingList: [{name: b, $patch: delete}]}",
        modified: "retainKeysMap: {name: foo, mergingList: [{name: a}]}",
        current: "retainKeysMap: {name: foo, mergingList: [{name: a}, {name: b}, {name: x}]}",
        threeWay: "retainKeysMap: {$retainKeys: [mergingList, name], $setElementOrder/mergingList: [{name: a}], mergingList: [{name: b, $patch: delete}]}",
        result: "retainKeysMap: {name: foo, mergingList: [{name: a}, {name: x}]}",
      },
      {
        d: "retainKeys list of maps changes a field and clear a field",
        original: "retainKeysMergingList: [{name: bar}, {name: foo, value: old}]",
        twoWay: "{$setElementOrder/retainKeysMergingList: [{name: bar}, {name: foo}], retainKeysMergingList: [{$retainKeys: [name, value], name: foo, value: new}]}",
        modified: "retainKeysMergingList: [{name: bar}, {name: foo, value: new}]",
        current: "retainKeysMergingList: [{name: bar}, {name: foo, value: old, other: x}]",
        threeWay: "{$setElementOrder/retainKeysMergingList: [{name: bar}, {name: foo}], retainKeysMergingList: [{$retainKeys: [name, value], name: foo, value: new}]}",
        result: "retainKeysMergingList: [{name: bar}, {name: foo, value: new}]",
      },
      {
        d: "delete and reorder in one list, reorder in another",
        original: "{mergingList: [{name: a, value: a}, {name: b, value: b}], mergeItemPtr: [{name: c, value: c}, {name: d, value: d}]}",
        twoWay: "{$setElementOrder/mergingList: [{name: b}], $setElementOrder/mergeItemPtr: [{name: d}, {name: c}], mergingList: [{$patch: delete, name: a}]}",
        modified: "{mergingList: [{name: b, value: b}], mergeItemPtr: [{name: d, value: d}, {name: c, value: c}]}",
        current: "{mergingList: [{name: a, value: a}, {name: b, value: b}], mergeItemPtr: [{name: c, value: c}, {name: d, value: d}]}",
        threeWay: "{$setElementOrder/mergingList: [{name: b}], $setElementOrder/mergeItemPtr: [{name: d}, {name: c}], mergingList: [{$patch: delete, name: a}]}",
        result: "{mergingList: [{name: b, value: b}], mergeItemPtr: [{name: d, value: d}, {name: c, value: c}]}",
      },
    ],
    "exact",
  );
});

describe("replaceRawExtensionPatchTestCases (patchStrategy replace)", () => {
  run(
    [
      {
        d: "replace RawExtension field and merge list",
        original: "{name: my-object, value: some-value, other: current-other, mergingList: [{name: 1}], replacingItem: {Some: Generic, Yaml: Inside, The: RawExtension, Field: Period}}",
        twoWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 2}], replacingItem: {Newly: Modified, Yaml: Inside, The: RawExtension}}",
        twoWayResult:
          "{name: my-object, value: some-value, other: current-other, mergingList: [{name: 1}, {name: 2}], replacingItem: {Newly: Modified, Yaml: Inside, The: RawExtension}}",
        current:
          "{name: my-object, value: some-value, other: current-other, mergingList: [{name: 1}, {name: 3}], replacingItem: {Some: Generic, Yaml: Inside, The: RawExtension, Field: Period}}",
        threeWay: "{$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 2}], replacingItem: {Newly: Modified, Yaml: Inside, The: RawExtension}}",
        result:
          "{name: my-object, value: some-value, other: current-other, mergingList: [{name: 1}, {name: 2}, {name: 3}], replacingItem: {Newly: Modified, Yaml: Inside, The: RawExtension}}",
      },
    ],
    "exact",
  );
});

describe("TestUnknownField (the two-way patches applied)", () => {
  const base = '{"array":[1,2,3],"complex":{"nested":true},"name":"foo","scalar":true}';
  const cases: [string, string, string, string][] = [
    ["no diff even if modified null", base, '{"complex_nullable":{"key":null}}', '{"array":[1,2,3],"complex":{"nested":true},"complex_nullable":{},"name":"foo","scalar":true}'],
    [
      "discard nulls in nested and adds not nulls",
      base,
      '{"complex_nullable":{"key":{"keynotnull":"value","keynull":null}}}',
      '{"array":[1,2,3],"complex":{"nested":true},"complex_nullable":{"key":{"keynotnull":"value"}},"name":"foo","scalar":true}',
    ],
    ["discard if modified all nulls", "{}", '{"complex":{"nested":null}}', '{"complex":{}}'],
    ["add only not nulls", "{}", '{"complex":{"nested":null,"nested2":"foo"}}', '{"complex":{"nested2":"foo"}}'],
    ["null values in original are preserved", '{"thing":null}', '{"nested":{"value":5}}', '{"nested":{"value":5},"thing":null}'],
    ["add empty slices", base, '{"complex_nullable":[]}', '{"array":[1,2,3],"complex":{"nested":true},"complex_nullable":[],"name":"foo","scalar":true}'],
    ["filter nulls from nested slices", "{}", '{"complex_nullable":[{"inner_one":{"key_one":"foo","key_two":null}}]}', '{"complex_nullable":[{"inner_one":{"key_one":"foo"}}]}'],
    ["filter if slice is all empty", "{}", '{"complex_nullable":[{"inner_one":{"key_one":null,"key_two":null}}]}', '{"complex_nullable":[{"inner_one":{}}]}'],
    ["not filter nulls from non-associative slice", "{}", '{"complex_nullable":["key1",null,"key2"]}', '{"complex_nullable":["key1",null,"key2"]}'],
    ["removed only", '{"name":"foo","scalar":true,"complex":{"nested":true}}', '{"complex":null,"scalar":null}', '{"name":"foo"}'],
  ];
  for (const [d, original, patch, result] of cases) {
    test(d, () => expect(apply(JSON.parse(original), JSON.parse(patch))).toEqual(JSON.parse(result)));
  }
  test("diff: a changed field the struct does not declare cannot be merged", () => {
    expect(() => apply(JSON.parse(base), { complex: { nested: false } })).toThrow('unable to find api field in struct MergeItem for the json field "complex"');
  });
});
