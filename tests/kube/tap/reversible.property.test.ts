/**
 * The heart of tap: tap → untap is the identity on the pod template (deep-equal and the same JSON text, so the
 * same key order and the same pod-template hash), for one session or several untapped in any order, in both
 * sidecar modes, with --pin-images, for Fluent Bit, and with `untap all`; over hundreds of generated workloads.
 */

import { describe, expect, test } from "bun:test";
import { planTap } from "../../../src/kube/tap/plan-tap.ts";
import { planUntap } from "../../../src/kube/tap/plan-untap.ts";
import { RECORD_ANNOTATION } from "../../../src/kube/tap/names.ts";
import type { TapOptions } from "../../../src/kube/tap/plan-tap.ts";
import type { Workload } from "../../../src/kube/tap/workload.ts";
import { apiServerRoundTrip } from "./api-server-defaults.ts";
import { generateTapOptions, generateWorkload, rng, sessionId, type Rand } from "./generate-workload.ts";

const CASES = 400;

function tapAll(w: Workload, opts: TapOptions[]): Workload {
  return opts.reduce((acc, o) => planTap(acc, o).workload, w);
}

function permutation<T>(r: Rand, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Equality as the pod-template hash sees it — and stricter: the same JSON text, key order included. */
function expectIdentical(actual: Workload, expected: Workload, context: string) {
  expect(actual, context).toEqual(expected);
  expect(JSON.stringify(actual), context).toBe(JSON.stringify(expected));
}

describe("tap → untap is the identity", () => {
  test(`one session, ${CASES} generated workloads`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const r = rng(seed);
      const w = generateWorkload(r);
      const original = JSON.stringify(w);
      const opts = generateTapOptions(r, sessionId(r));
      const tapped = planTap(w, opts);
      expect(JSON.stringify(w), "planTap must not touch its input").toBe(original);
      expect(tapped.after).not.toEqual(w.spec.template);
      const untapped = planUntap(tapped.workload, opts.session);
      expect(untapped.conflicts, `seed ${seed}`).toEqual([]);
      expectIdentical(untapped.workload, w, `seed ${seed}`);
      expect(untapped.removed).toEqual([{ session: opts.session, by: "record" }]);
    }
  });

  test(`two or three sessions untapped in every order, ${CASES} workloads`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const r = rng(10_000 + seed);
      const w = generateWorkload(r);
      const opts = Array.from({ length: r.int(2, 3) }, () => generateTapOptions(r, sessionId(r)));
      let current = tapAll(w, opts);
      for (const o of permutation(r, opts)) {
        const plan = planUntap(current, o.session);
        expect(plan.conflicts, `seed ${seed}`).toEqual([]);
        current = plan.workload;
      }
      expectIdentical(current, w, `seed ${seed}`);
    }
  });

  test(`untap all, ${CASES} workloads`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const r = rng(20_000 + seed);
      const w = generateWorkload(r);
      const opts = Array.from({ length: r.int(1, 3) }, () => generateTapOptions(r, sessionId(r)));
      const plan = planUntap(tapAll(w, opts), "all");
      expect(plan.conflicts, `seed ${seed}`).toEqual([]);
      expect(plan.removed.map((x) => x.session)).toEqual(opts.map((o) => o.session).reverse());
      expectIdentical(plan.workload, w, `seed ${seed}`);
    }
  });

  test("removing one of two sessions leaves what tapping the other alone gives (the record aside)", () => {
    const withoutRecord = (w: Workload) => {
      const t = structuredClone(w.spec.template);
      delete t.metadata?.annotations?.[RECORD_ANNOTATION];
      return t;
    };
    for (let seed = 1; seed <= CASES; seed++) {
      const r = rng(30_000 + seed);
      const w = generateWorkload(r);
      const [a, b] = [generateTapOptions(r, sessionId(r)), generateTapOptions(r, sessionId(r))];
      const both = tapAll(w, [a!, b!]);
      const onlyB = planTap(w, b!).workload;
      expect(withoutRecord(planUntap(both, a!.session).workload), `seed ${seed}`).toEqual(withoutRecord(onlyB));
      const onlyA = planTap(w, a!).workload;
      expect(withoutRecord(planUntap(both, b!.session).workload), `seed ${seed}`).toEqual(withoutRecord(onlyA));
    }
  });

  test("the API server's defaulting of the sidecar between tap and untap is no conflict", () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const r = rng(40_000 + seed);
      const w = generateWorkload(r);
      const opts = Array.from({ length: r.int(1, 2) }, () => generateTapOptions(r, sessionId(r)));
      const stored = apiServerRoundTrip(tapAll(w, opts));
      const plan = planUntap(stored, "all");
      expect(plan.conflicts, `seed ${seed}`).toEqual([]);
      expectIdentical(plan.workload, w, `seed ${seed}`);
    }
  });

  test("planUntap does not touch its input", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const r = rng(seed);
      const w = generateWorkload(r);
      const tapped = planTap(w, generateTapOptions(r, sessionId(r))).workload;
      const text = JSON.stringify(tapped);
      planUntap(tapped, "all");
      expect(JSON.stringify(tapped)).toBe(text);
    }
  });

  test("the generated cases exercise every kind of change tap makes", () => {
    const counts: Record<string, number> = {};
    const bump = (k: string, cond: boolean) => void (cond && (counts[k] = (counts[k] ?? 0) + 1));
    for (let seed = 1; seed <= CASES; seed++) {
      const r = rng(seed);
      const w = generateWorkload(r);
      const o = generateTapOptions(r, sessionId(r));
      const p = planTap(w, o);
      const before = w.spec.template;
      const ann = (key: string) => p.change.annotations.find((a) => a.key === key);
      for (const key of ["config.linkerd.io/skip-outbound-ports", "traffic.sidecar.istio.io/excludeOutboundPorts"]) {
        bump(`${key} appended to`, ann(key)?.before !== null && ann(key) !== undefined);
        bump(`${key} created`, ann(key)?.before === null);
      }
      bump("user's logtap.dev/target overwritten", ann("logtap.dev/target")?.before === "user-set:1234");
      bump("annotations map created", before.metadata?.annotations === undefined);
      bump("annotations map empty before", before.metadata?.annotations !== undefined && Object.keys(before.metadata.annotations).length === 0);
      bump("initContainers created", o.mode === "native" && before.spec.initContainers === undefined);
      bump("appended after a native sidecar", o.mode === "native" && (before.spec.initContainers ?? []).some((c) => c.restartPolicy === "Always"));
      bump("volumes created", o.forwarder === "fluent-bit" && before.spec.volumes === undefined);
      bump("volumes appended", o.forwarder === "fluent-bit" && (before.spec.volumes ?? []).length > 0);
      bump("policies pinned", p.change.image_pull_policies.length > 0);
    }
    for (const [k, n] of Object.entries(counts)) expect(n, k).toBeGreaterThanOrEqual(5);
    expect(Object.keys(counts).length).toBe(12);
  });

  test("both sidecar modes, with and without --pin-images, logtap and Fluent Bit, are all covered", () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= CASES; seed++) {
      const r = rng(seed);
      generateWorkload(r);
      const o = generateTapOptions(r, sessionId(r));
      seen.add(`${o.mode}/${o.pinImages}/${o.forwarder ?? "logtap"}`);
    }
    for (const mode of ["native", "container"]) for (const pin of [true, false]) for (const f of ["logtap", "fluent-bit"]) expect(seen).toContain(`${mode}/${pin}/${f}`);
  });
});
