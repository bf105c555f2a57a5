import { expect, test } from "bun:test";
import { RemoteError, WorkerFailedError, WorkerRpc } from "../../src/workers/worker-rpc.ts";

const url = new URL("../support/echo-worker.ts", import.meta.url);

test("replies resolve their own calls, in any number; a refused request rejects with its data; the worker lives on", async () => {
  const rpc = new WorkerRpc<string, string>(url, "echo");
  try {
    expect(await Promise.all(["a", "b", "c"].map((x) => rpc.call(x)))).toEqual(["A", "B", "C"]);
    const refused = await rpc.call("fail").catch((e) => e);
    expect(refused).toBeInstanceOf(RemoteError);
    expect([refused.message, refused.data]).toEqual(["refused", 418]);
    expect(await rpc.call("still here")).toBe("STILL HERE");
    expect(rpc.pending).toBe(0);
  } finally {
    rpc.terminate();
  }
});

test("a worker that dies fails what it owed and every later call with WorkerFailedError", async () => {
  const rpc = new WorkerRpc<string, string>(url, "echo");
  try {
    expect(await rpc.call("crash")).toBe("CRASH");
    // The worker dies 50 ms after that reply, while it owes this one.
    const failure = await rpc.call("hang").catch((e) => e);
    expect(failure).toBeInstanceOf(WorkerFailedError);
    expect(failure.message).toContain("echo worker failed");
    expect(rpc.failed).toBe(true);
    expect(await rpc.call("later").catch((e) => e)).toBeInstanceOf(WorkerFailedError);
  } finally {
    rpc.terminate();
  }
});
