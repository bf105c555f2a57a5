/** An HTTP CONNECT proxy on loopback that records the targets it tunnelled to (for proxy-url). */

import type { Socket } from "bun";

export interface ConnectProxy {
  url: string;
  targets: string[];
  stop(): void;
}

interface Conn {
  head: string;
  upstream?: Socket<undefined>;
}

export function startConnectProxy(): ConnectProxy {
  const targets: string[] = [];
  const server = Bun.listen<Conn>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        s.data = { head: "" };
      },
      async data(s, chunk) {
        if (s.data.upstream) {
          s.data.upstream.write(chunk);
          return;
        }
        s.data.head += Buffer.from(chunk).toString("latin1");
        const end = s.data.head.indexOf("\r\n\r\n");
        if (end < 0) return;
        const target = /^CONNECT (\S+) HTTP/.exec(s.data.head)?.[1];
        if (!target) {
          s.end("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
          return;
        }
        targets.push(target);
        const [host, port] = [target.slice(0, target.lastIndexOf(":")), Number(target.slice(target.lastIndexOf(":") + 1))];
        s.data.upstream = await Bun.connect({
          hostname: host,
          port,
          socket: {
            data: (_u, d) => void s.write(d),
            close: () => void s.end(),
          },
        });
        s.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        const rest = s.data.head.slice(end + 4);
        if (rest) s.data.upstream.write(Buffer.from(rest, "latin1"));
      },
      close(s) {
        s.data.upstream?.end();
      },
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, targets, stop: () => server.stop(true) };
}
