/** PAX extended-header records (`<len> <key>=<value>\n`), which carry names longer than ustar's fields allow. */

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

export function encodePaxRecords(records: Record<string, string>): Uint8Array {
  let out = "";
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    const bodyLen = encoder.encode(body).length;
    // The length prefix counts its own digits: grow it until it is consistent.
    let len = bodyLen + 1;
    while (String(len).length + bodyLen !== len) len = String(len).length + bodyLen;
    out += `${len}${body}`;
  }
  return encoder.encode(out);
}

export function parsePaxRecords(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes[pos] === 0) break;
    const space = bytes.indexOf(0x20, pos);
    if (space < 0) throw new Error("invalid PAX header: record without length");
    const lenText = decoder.decode(bytes.subarray(pos, space));
    if (!/^\d+$/.test(lenText)) throw new Error("invalid PAX header: bad record length");
    const len = Number(lenText);
    const end = pos + len;
    if (len <= space - pos + 1 || end > bytes.length || bytes[end - 1] !== 0x0a) throw new Error("invalid PAX header: bad record length");
    const record = decoder.decode(bytes.subarray(space + 1, end - 1));
    const eq = record.indexOf("=");
    if (eq <= 0) throw new Error("invalid PAX header: record without key");
    out[record.slice(0, eq)] = record.slice(eq + 1);
    pos = end;
  }
  return out;
}
