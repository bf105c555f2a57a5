const data = new Uint8Array(50 * 2 ** 20);
for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 10)) & 0x3f | 0x40;
const chunks: Uint8Array[] = []; for (let i = 0; i < data.length; i += 2 ** 20) chunks.push(data.subarray(i, i + 2 ** 20));
const frames = chunks.map((c) => Bun.zstdCompressSync(c, { level: 1 }));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const [name, fn] of [
  ["c L1 8", async () => { for (let i = 0; i < chunks.length; i += 8) await Promise.all(chunks.slice(i, i + 8).map((c) => Bun.zstdCompress(c, { level: 1 }))); }],
  ["d 8", async () => { for (let i = 0; i < frames.length; i += 8) await Promise.all(frames.slice(i, i + 8).map((c) => Bun.zstdDecompress(c))); }],
] as const) {
  const rows: string[] = [];
  for (let r = 0; r < 12; r++) { Bun.gc(true); const c0 = cpu(), t0 = performance.now(); await fn(); rows.push(`${(performance.now() - t0).toFixed(0)}/${(cpu() - c0).toFixed(0)}`); }
  console.log(name, rows.join(" "));
}
const st = require("fs").readFileSync("/proc/stat", "utf8").split("\n")[0]; console.log(st);
