import { expect, test } from "bun:test";
import { StoredTextLineBuffer } from "../../src/scan/stored-text-line-buffer.ts";
import { mulberry32 } from "../../scripts/bench/shared/prng.ts";

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;

/** A message's stored body with every escape the judge lets through, as Go's encoder and ours write them. */
function storedBody(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const PIECES = ["a", "tenant=", '"', "\\", "\n", "\t", "\r", "\b", "\f", "\u0001", "\u001f", "<", ">", "&", "é", "€", "日本", "\u2028", "\u2029", "/", " ", "0123456789abcdef"];

// Each line is checked against the definition: the clock as grep writes it, then the service, then JSON's reading
// of the stored body. Random lengths put escapes at every offset of a 16-byte block and at a message's end.
test("a stored line's text line is the clock, the service and the message as JSON reads it", () => {
  const r = mulberry32(7);
  const services = [Buffer.from(" [api]      "), Buffer.from(" [a-much-longer-service-name] "), Buffer.from(" [-] ")];
  const out = new StoredTextLineBuffer(4096);
  services.forEach((s) => out.addService(s));
  for (let round = 0; round < 3000; round++) {
    let text = "";
    for (let k = Math.floor(r() * 60); k > 0; k--) text += pick(r, PIECES);
    const digits = Math.floor(r() * 10);
    const fraction = digits === 0 ? "" : "." + "987654321".slice(0, digits);
    const ts = `2026-01-01T13:04:59${fraction}Z`;
    const labels = r() < 0.5 ? ',"labels":{"app":"x"}' : "";
    const body = storedBody(text);
    const stored = Buffer.from(`garbage{"ts":"${ts}"${labels},"msg":"${body}"}\n`);
    const tsAt = stored.indexOf('{"ts":"') + 7;
    const msgAt = stored.indexOf(',"msg":"') + 8;
    const service = Math.floor(r() * services.length);
    const p = Math.floor(r() * 100);
    const end = out.writeStoredLine(stored, tsAt, msgAt, msgAt + Buffer.byteLength(body), service, p);
    const ms = (fraction.slice(1) + "000").slice(0, 3);
    const want = Buffer.from(`13:04:59.${ms}${services[service]!.toString()}${JSON.parse(`"${body}"`)}\n`);
    expect({ text, got: out.bytes.subarray(p, end).toString() }).toEqual({ text, got: want.toString() });
  }
});

test("a line longer than the buffer fits once reserved, and the services survive the memory growing", () => {
  const out = new StoredTextLineBuffer(64);
  out.addService(Buffer.from(" [svc] "));
  const body = storedBody('"quoted" & <long> '.repeat(20_000));
  const stored = Buffer.from(`{"ts":"2026-01-01T00:00:00Z","msg":"${body}"}`);
  const need = 13 + 7 + stored.length;
  out.reserve(need);
  const end = out.writeStoredLine(stored, 7, 36, 36 + body.length, 0, 0);
  expect(out.bytes.subarray(0, end).toString()).toBe(`00:00:00.000 [svc] ${JSON.parse(`"${body}"`)}\n`);
});

test("services added after lines were written, and after the buffer grew, are written as given", () => {
  const out = new StoredTextLineBuffer(64);
  const stored = Buffer.from('{"ts":"2026-01-01T00:00:01.25Z","msg":"a \\"b\\""}');
  const first = out.addService(Buffer.from(" [one] "));
  let p = out.writeStoredLine(stored, 7, 39, stored.length - 2, first, 0);
  expect(out.bytes.subarray(0, p).toString()).toBe('00:00:01.250 [one] a "b"\n');
  out.reserve(1 << 20);
  const names = Array.from({ length: 5000 }, (_, i) => ` [service-${i}] `);
  const ids = names.map((n) => out.addService(Buffer.from(n)));
  p = 0;
  for (const id of [first, ...ids]) p = out.writeStoredLine(stored, 7, 39, stored.length - 2, id, p);
  expect(out.bytes.subarray(0, p).toString()).toBe([" [one] ", ...names].map((n) => `00:00:01.250${n}a "b"\n`).join(""));
});
