/**
 * Watch and pod-log streams over real mutual TLS: events split across TCP writes, bookmarks, 410 Gone, a stream
 * the server ends, a caller's abort (quiet, connection closed), errors at open; log chunks and lines, follow, the
 * query parameters that reach the server.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ServerResponse } from "node:http";
import { connectCluster } from "../../src/kube/connect.ts";
import { isGone } from "../../src/kube/errors/kube-error.ts";
import { splitLines } from "../../src/kube/streams/lines.ts";
import { pki } from "./support/pki.ts";
import { startFakeApiServer, status, type FakeApiServer } from "./support/fake-apiserver.ts";
import { kubeDir, singleContext, writeKubeconfig } from "./support/kubeconfig.ts";
import { waitFor } from "../support/wait-for.ts";

let server: FakeApiServer;
let closed = 0;
const pod = (name: string, rv: string) => ({ kind: "Pod", apiVersion: "v1", metadata: { name, namespace: "default", resourceVersion: rv } });
const line = (type: string, object: unknown) => JSON.stringify({ type, object }) + "\n";

/** Writes the parts with a pause between them, then ends or (hold) keeps the stream open. */
async function stream(res: ServerResponse, parts: string[], opts: { hold?: boolean; contentType?: string } = {}) {
  res.writeHead(200, { "content-type": opts.contentType ?? "application/json" });
  res.on("close", () => closed++);
  for (const p of parts) {
    res.write(p);
    await Bun.sleep(5);
  }
  if (!opts.hold) res.end();
}

beforeAll(async () => {
  server = await startFakeApiServer({ auth: "client-cert" });
  server.route("GET", "/api/v1/namespaces/default/pods", (q, res) => {
    if (q.query.get("watch") !== "true") return status(res, 400, "BadRequest", "expected a watch");
    const events = line("ADDED", pod("a", "10")) + line("MODIFIED", pod("a", "11")) + line("BOOKMARK", { kind: "Pod", metadata: { resourceVersion: "12" } });
    // Cut mid-event and mid-UTF-8 boundaries do not matter: split into 7-byte writes.
    const parts = events.match(/[\s\S]{1,7}/g)!;
    return stream(res, parts);
  });
  server.route("GET", "/api/v1/namespaces/old/pods", (_q, res) =>
    stream(res, [line("ERROR", { kind: "Status", apiVersion: "v1", status: "Failure", message: "too old resource version: 5 (100)", reason: "Expired", code: 410 })]),
  );
  server.route("GET", "/api/v1/namespaces/quiet/pods", (_q, res) => stream(res, [line("ADDED", pod("q", "1"))], { hold: true }));
  server.route("GET", "/api/v1/namespaces/dropped/pods", async (_q, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write(line("ADDED", pod("d", "1")) + '{"type":"MODIFIED","obj');
    await Bun.sleep(20);
    res.socket?.destroy();
  });
  server.route("GET", "/api/v1/namespaces/secret/pods", (_q, res) => status(res, 403, "Forbidden", 'pods is forbidden: User "alice" cannot watch resource "pods" in API group "" in the namespace "secret"'));
  server.route("GET", "/api/v1/namespaces/default/pods/web/log", (q, res) => {
    if (!q.query.get("container")) return status(res, 400, "BadRequest", "a container name must be specified for pod web, choose one of: [app logtap]");
    const follow = q.query.get("follow") === "true";
    return stream(res, ["2026-01-15T10:00:00Z one\n2026-01-15T10:00:01Z tw", "o\n", "2026-01-15T10:00:02Z thrée\n", "no newline at the end"], { hold: follow, contentType: "text/plain" });
  });
});
afterAll(() => server.close());

function connect() {
  const p = pki();
  const file = writeKubeconfig(kubeDir(), "kc", singleContext(server.url, { "certificate-authority": p.caFile }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile }));
  return connectCluster({ kubeconfig: file, timeoutMs: 5000, env: {} });
}

describe("watch", () => {
  test("events in order, whole although written in 7-byte pieces; bookmarks; the query reaches the server", async () => {
    const events = [];
    for await (const e of await connect().watch("/api/v1/namespaces/default/pods", { labelSelector: "app=web", resourceVersion: "9", allowWatchBookmarks: true }))
      events.push([e.type, e.object.metadata?.resourceVersion]);
    expect(events).toEqual([["ADDED", "10"], ["MODIFIED", "11"], ["BOOKMARK", "12"]]);
    const q = server.requests.at(-1)!.query;
    expect([q.get("watch"), q.get("labelSelector"), q.get("resourceVersion"), q.get("allowWatchBookmarks")]).toEqual(["true", "app=web", "9", "true"]);
  });

  test("an ERROR event with 410 Expired is thrown: list again", async () => {
    const w = await connect().watch("/api/v1/namespaces/old/pods", { resourceVersion: "5" });
    const err = await (async () => {
      for await (const _ of w) void _;
    })().catch((e) => e);
    expect(isGone(err)).toBe(true);
    expect(err.message).toBe("too old resource version: 5 (100)");
  });

  test("a connection dropped mid-event: the events before it, then an unreachable error (watch again)", async () => {
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of await connect().watch("/api/v1/namespaces/dropped/pods")) seen.push(e.type);
    })().catch((e) => e);
    expect(seen).toEqual(["ADDED"]);
    expect(err?.kind).toBe("unreachable");
  });

  test("a refused watch fails at open, before any event", async () => {
    const err = await connect().watch("/api/v1/namespaces/secret/pods").catch((e) => e);
    expect(err.status).toBe(403);
  });

  test("aborting ends the iteration quietly and closes the connection", async () => {
    const ctl = new AbortController();
    const before = closed;
    const seen: string[] = [];
    const w = await connect().watch("/api/v1/namespaces/quiet/pods", {}, ctl.signal);
    for await (const e of w) {
      seen.push(e.object.metadata!.name!);
      ctl.abort();
    }
    expect(seen).toEqual(["q"]);
    await waitFor(() => closed > before, 5000, "the server to see the watch closed");
  });

  test("breaking out of the loop closes the connection too", async () => {
    const before = closed;
    for await (const _ of await connect().watch("/api/v1/namespaces/quiet/pods")) break;
    await waitFor(() => closed > before, 5000, "the server to see the watch closed");
  });
});

describe("pod log", () => {
  test("lines, whatever the chunks; a last line without newline; the parameters reach the server", async () => {
    const log = await connect().podLog("default", "web", { container: "app", timestamps: true, tailLines: 10, sinceSeconds: 60 });
    const lines = [];
    for await (const l of log.lines()) lines.push(l);
    expect(lines).toEqual(["2026-01-15T10:00:00Z one", "2026-01-15T10:00:01Z two", "2026-01-15T10:00:02Z thrée", "no newline at the end"]);
    const q = server.requests.at(-1)!.query;
    expect(Object.fromEntries(q)).toEqual({ container: "app", timestamps: "true", tailLines: "10", sinceSeconds: "60" });
  });

  test("follow: byte chunks as they come, until aborted (quietly)", async () => {
    const ctl = new AbortController();
    const log = await connect().podLog("default", "web", { container: "app", follow: true }, ctl.signal);
    let text = "";
    for await (const chunk of log) {
      text += new TextDecoder().decode(chunk);
      if (text.endsWith("at the end")) ctl.abort();
    }
    expect(text).toContain("thrée\n");
    expect(server.requests.at(-1)!.query.get("follow")).toBe("true");
  });

  test("the server's 400 is thrown at open, its message kept", async () => {
    const err = await connect().podLog("default", "web").catch((e) => e);
    expect([err.status, err.message]).toEqual([400, "a container name must be specified for pod web, choose one of: [app logtap]"]);
  });
});

test("splitLines: lines across chunks and multi-byte characters split between chunks", async () => {
  const bytes = new TextEncoder().encode("a\nbé\n\nc");
  async function* chunks() {
    for (let i = 0; i < bytes.length; i++) yield bytes.slice(i, i + 1);
  }
  const out: string[] = [];
  for await (const l of splitLines(chunks(), { tail: "yield" })) out.push(l);
  expect(out).toEqual(["a", "bé", "", "c"]);
  const dropped: string[] = [];
  for await (const l of splitLines(chunks(), { tail: "drop" })) dropped.push(l);
  expect(dropped).toEqual(["a", "bé", ""]);
});
