import { describe, expect, test } from "bun:test";
import { containerView, finish, firstLook, planInstance, type FollowState } from "../../../src/kube/follow/instance-plan.ts";

const running = (id: string, last?: { id: string; finishedAt?: string }) =>
  containerView({ name: "app", containerID: id, state: { running: {} }, lastState: last ? { terminated: { containerID: last.id, finishedAt: last.finishedAt } } : {} });
const backOff = (lastId: string) => containerView({ name: "app", state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { containerID: lastId } } });
const state = (s: Partial<FollowState> = {}): FollowState => ({ done: [], ...s });

describe("planInstance", () => {
  test("a running container: follow its current instance", () => {
    expect(planInstance(running("A"), state())).toEqual({ kind: "read", id: "A", previous: false, follow: true, resume: false });
  });

  test("the instance being read keeps being read: followed while running, then once more to its end", () => {
    expect(planInstance(running("A"), state({ reading: "A" }))).toMatchObject({ id: "A", follow: true, resume: true });
    const stopped = containerView({ name: "app", containerID: "A", state: { terminated: { containerID: "A" } } });
    expect(planInstance(stopped, state({ reading: "A" }))).toEqual({ kind: "read", id: "A", previous: false, follow: false, resume: true });
    expect(planInstance(backOff("A"), state({ reading: "A" }))).toEqual({ kind: "read", id: "A", previous: true, follow: false, resume: true });
    expect(planInstance(running("B", { id: "A" }), state({ reading: "A" }))).toEqual({ kind: "read", id: "A", previous: true, follow: false, resume: true });
  });

  test("an instance being read that the node no longer has is lost", () => {
    expect(planInstance(running("C", { id: "B" }), state({ reading: "A" }))).toEqual({ kind: "lost", id: "A" });
  });

  test("a previous instance not read yet comes before the current one", () => {
    const s = state({ done: ["A"] });
    expect(planInstance(running("C", { id: "B" }), s)).toEqual({ kind: "read", id: "B", previous: true, follow: false, resume: false });
    finish(s, "B");
    expect(planInstance(running("C", { id: "B" }), s)).toMatchObject({ id: "C", previous: false, follow: true });
  });

  test("nothing to read: waiting to start, in back-off after its last instance was read, or everything done", () => {
    expect(planInstance(containerView({ name: "app", state: { waiting: { reason: "ContainerCreating" } } }), state())).toEqual({ kind: "wait" });
    expect(planInstance(backOff("A"), state({ done: ["A"] }))).toEqual({ kind: "wait" });
    expect(planInstance(containerView(undefined), state())).toEqual({ kind: "wait" });
  });

  test("first look: instances that stopped before the floor count as read (no request for them)", () => {
    const s = state();
    const v = running("B", { id: "A", finishedAt: "2026-01-01T00:00:00Z" });
    firstLook(v, s, Date.parse("2026-01-02T00:00:00Z") / 1000);
    expect(planInstance(v, s)).toMatchObject({ id: "B", follow: true });
    const recent = state();
    firstLook(v, recent, Date.parse("2026-01-01T00:00:00Z") / 1000);
    expect(planInstance(v, recent)).toMatchObject({ id: "A", previous: true });
  });

  test("finish keeps only the last few instances", () => {
    const s = state({ reading: "A" });
    for (const id of ["A", "B", "C", "D", "E", "F"]) finish(s, id);
    expect(s).toEqual({ reading: undefined, done: ["C", "D", "E", "F"] });
  });
});
