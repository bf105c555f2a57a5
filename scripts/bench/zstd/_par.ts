import { readdirSync, readFileSync } from "node:fs";
let seed = 1; const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const words = Array.from({ length: 200000 }, () => Math.floor(rnd() * 1e9).toString(36));
let s = ""; while (s.length < 50 * 2 ** 20) s += words[Math.floor(rnd() ** 2 * 200000)] + (rnd() < 0.1 ? "\n" : " ");
const data = new TextEncoder().encode(s);
const chunks: Uint8Array[] = []; for (let i = 0; i < data.length; i += 2 ** 20) chunks.push(data.subarray(i, i + 2 ** 20));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const threads = () => readdirSync("/proc/self/task").map((t) => { const x = readFileSync(`/proc/self/task/${t}/stat`, "utf8"); const f = x.slice(x.lastIndexOf(")") + 2).split(" "); const name = readFileSync(`/proc/self/task/${t}/comm`, "utf8").trim(); return `${name}:cpu${f[36]}:${Number(f[11]) + Number(f[12])}`; });
console.log("ratio", (data.length / chunks.map((c) => Bun.zstdCompressSync(c, { level: 3 }).length).reduce((a, b) => a + b)).toFixed(2));
for (let b = 0; b < 25; b++) {
  const rows: string[] = [];
  for (let r = 0; r < 7; r++) {
    Bun.gc(true);
    const c0 = cpu(), t0 = performance.now();
    for (let i = 0; i < chunks.length; i += 8) await Promise.all(chunks.slice(i, i + 8).map((c) => Bun.zstdCompress(c, { level: 3 })));
    const w = performance.now() - t0; rows.push(((cpu() - c0) / w).toFixed(1));
  }
  console.log(b, rows.join(" "), b % 5 === 0 ? threads().filter((t) => !t.endsWith(":0")).join(" ") : "");
}
