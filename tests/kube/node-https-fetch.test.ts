/**
 * The node:https path for long-lived streams (src/kube/transport/node-https-fetch.ts): more than Bun fetch's 256
 * requests open at once, a connection dropped mid-body is a read error (a follower must tell it from a clean end),
 * and a body cancelled while the server is still sending ends quietly.
 */

import { afterAll, expect, test } from "bun:test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { nodeHttpsFetch } from "../../src/kube/transport/node-https-fetch.ts";

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const init = (signal = new AbortController().signal) => ({ method: "GET", headers: new Headers({ accept: "*/*" }), signal, tls: { rejectUnauthorized: true } });

test("600 streams open at once (Bun's fetch would hold all but 256 back)", async () => {
  const url = await serve((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("first line\n");
  });
  const abort = new AbortController();
  const opened = await Promise.all(Array.from({ length: 600 }, () => nodeHttpsFetch(new URL(url), init(abort.signal))));
  const first = await Promise.all(opened.map(async (r) => new TextDecoder().decode((await r.body!.getReader().read()).value)));
  expect(first.every((t) => t === "first line\n")).toBe(true);
  abort.abort();
});

test("a connection dropped mid-body fails the read; a finished body ends cleanly", async () => {
  const url = await serve((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("part\n");
    if (req.url === "/drop") setTimeout(() => req.socket.destroy(), 20);
    else setTimeout(() => res.end("rest\n"), 20);
  });
  const drop = await nodeHttpsFetch(new URL(`${url}/drop`), init());
  expect(await drop.text().catch((e) => `error ${(e as { code?: string }).code}`)).toBe("error ECONNRESET");
  const ok = await nodeHttpsFetch(new URL(`${url}/ok`), init());
  expect([ok.status, await ok.text()]).toEqual([200, "part\nrest\n"]);
});

test("a body cancelled while the server still sends, and an aborted request, end quietly", async () => {
  const url = await serve((_req, res) => {
    res.writeHead(404, { "content-type": "application/json" });
    const timer = setInterval(() => res.write("x".repeat(1000)), 1);
    setTimeout(() => (clearInterval(timer), res.end()), 50);
  });
  const r = await nodeHttpsFetch(new URL(url), init());
  expect(r.status).toBe(404);
  const reader = r.body!.getReader();
  await reader.read();
  await reader.cancel();
  await Bun.sleep(100);
  const abort = new AbortController();
  const pending = nodeHttpsFetch(new URL(url), init(abort.signal));
  abort.abort(new DOMException("stop", "AbortError"));
  expect(await pending.then(() => "answered", (e) => (e as Error).name)).toBe("AbortError");
});
