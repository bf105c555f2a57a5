/** A folder served read-only over HTTP on loopback, as a release's download folder, recording what was asked for. */

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

export interface ServedDir {
  url: string;
  requests: string[];
  stop(): void;
}

export function serveDir(dir: string): ServedDir {
  const requests: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const name = decodeURIComponent(new URL(req.url).pathname.slice(1));
      requests.push(name);
      const file = join(dir, name);
      // Release folders are flat: anything with a slash or a dot-dot is not in one.
      if (name.includes("/") || name.includes("..") || !existsSync(file) || !statSync(file).isFile()) return new Response("not found", { status: 404 });
      return new Response(Bun.file(file));
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}
