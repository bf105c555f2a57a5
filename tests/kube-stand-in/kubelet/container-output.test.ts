/** What the simulated node keeps of a container's output: what pods/log can still serve, and the ground truth. */

import { describe, expect, test } from "bun:test";
import { ContainerOutput } from "./container-output.ts";

describe("ContainerOutput", () => {
  test("keeps the current instance and the one before; older ones are gone from the node", () => {
    const out = new ContainerOutput("default", "web", "app");
    for (let i = 0; i < 3; i++) {
      out.startInstance(`stand-in://${i}`, i);
      out.write(`from ${i}`);
      out.current!.close();
    }
    expect(out.instances.map((i) => i.containerID)).toEqual(["stand-in://1", "stand-in://2"]);
    expect(out.instance("stand-in://0")).toBeUndefined();
    expect(out.instance("stand-in://1")!.current.records.map((r) => r.text)).toEqual(["from 1"]);
    expect(out.history.map((h) => h.text)).toEqual(["from 0", "from 1", "from 2"]);
  });

  test("a rotated file is not served any more, and its records are freed", () => {
    const out = new ContainerOutput("default", "web", "app");
    const log = out.startInstance("stand-in://a", 0);
    out.write("one");
    const first = log.current;
    log.rotate();
    out.write("two");
    expect(first.records).toEqual([]);
    expect(log.current.records.map((r) => r.text)).toEqual(["two"]);
    expect(out.history.map((h) => [h.text, h.file])).toEqual([
      ["one", 0],
      ["two", 1],
    ]);
  });

  test("without history it still counts, and still serves the current file", async () => {
    const out = new ContainerOutput("default", "web", "app", false);
    out.startInstance("stand-in://a", 0);
    for (let i = 0; i < 5; i++) out.write(`l${i}`);
    await out.whenLines(5, 100);
    expect(out.history).toEqual([]);
    expect(out.written).toBe(5);
    expect(out.current!.current.records).toHaveLength(5);
  });

  test("timestamps increase strictly unless given; given ones may repeat", () => {
    const out = new ContainerOutput("default", "web", "app");
    out.startInstance("stand-in://a", 0);
    const a = out.write("a");
    const b = out.write("b");
    const c = out.write("c", { timestamp: a.time });
    expect(b.ns > a.ns).toBe(true);
    expect(c.time).toBe(a.time);
    expect(out.write("d").ns > b.ns).toBe(true);
  });
});
