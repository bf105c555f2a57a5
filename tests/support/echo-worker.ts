/** Test worker for WorkerRpc: echoes, refuses ("fail"), never answers ("hang"), or dies soon after ("crash"). */

import { RemoteError, serveRpc } from "../../src/workers/worker-rpc.ts";

serveRpc<string, string>(
  (req) => {
    if (req === "fail") throw new RemoteError("refused", 418);
    if (req === "hang") return new Promise(() => {});
    if (req === "crash") {
      setTimeout(() => {
        throw new Error("boom");
      }, 50);
    }
    return { result: req.toUpperCase() };
  },
  (e) => (e instanceof RemoteError ? e.data : undefined),
);
