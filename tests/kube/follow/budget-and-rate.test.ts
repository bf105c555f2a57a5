import { describe, expect, test } from "bun:test";
import { StreamBudget, type BudgetReport } from "../../../src/kube/follow/stream-budget.ts";
import { TokenBucket } from "../../../src/kube/follow/token-bucket.ts";
import { waitFor } from "../../support/wait-for.ts";

describe("StreamBudget", () => {
  test("beyond the budget containers wait in order; one report per burst; a released slot goes to the first waiting", async () => {
    const reports: BudgetReport[] = [];
    const changes: [number, number][] = [];
    const b = new StreamBudget(2, (a, w) => changes.push([a, w]), (r) => reports.push(r));
    const signal = new AbortController().signal;
    const [s1] = await Promise.all([b.acquire("a", signal), b.acquire("b", signal)]);
    const order: string[] = [];
    const c = b.acquire("c", signal).then((s) => (order.push("c"), s));
    const d = b.acquire("d", signal).then((s) => (order.push("d"), s));
    await waitFor(() => reports.length === 1, 1000, "the budget report");
    expect(reports).toEqual([{ max: 2, active: 2, waiting: 2, examples: ["c", "d"] }]);
    s1!.release();
    await c;
    expect([order, b.active, b.waiting]).toEqual([["c"], 2, 1]);
    const e = new AbortController();
    const gaveUp = b.acquire("e", e.signal).catch(() => "aborted");
    e.abort();
    expect(await gaveUp).toBe("aborted");
    expect(b.waiting).toBe(1);
    (await c).release();
    (await d).release();
    expect(changes.at(-1)).toEqual([1, 0]);
  });
});

describe("TokenBucket", () => {
  test("a burst at once, then qps per second, in order", async () => {
    const t = new TokenBucket(20, 3);
    const start = performance.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => t.take().then(() => times.push(performance.now() - start))));
    expect(times.slice(0, 3).every((ms) => ms < 20)).toBe(true);
    // Three more at 20/s: the last one about 150 ms after the start.
    expect(times[5]!).toBeGreaterThan(130);
    expect(times[5]!).toBeLessThan(400);
  });

  test("an abandoned wait gives its turn back", async () => {
    const t = new TokenBucket(10, 1);
    await t.take();
    const a = new AbortController();
    const waiting = t.take(a.signal).catch(() => "aborted");
    a.abort();
    expect(await waiting).toBe("aborted");
    const start = performance.now();
    await t.take();
    expect(performance.now() - start).toBeLessThan(150);
  });
});
