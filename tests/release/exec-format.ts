/**
 * What an executable is, read from its headers: enough to tell that a binary built for a machine we cannot run
 * here (macOS, a musl Linux) is the right kind — ELF machine and program interpreter, Mach-O CPU and whether it
 * carries a code signature (Apple Silicon refuses to run an unsigned binary).
 */

export type ExecFormat =
  | { kind: "elf"; machine: string; interpreter: string | null }
  | { kind: "macho"; cpu: string; codeSignature: boolean }
  | { kind: "unknown" };

const ELF_MACHINES: Record<number, string> = { 0x3e: "x86-64", 0xb7: "aarch64" };
const MACHO_CPUS: Record<number, string> = { 0x01000007: "x86-64", 0x0100000c: "arm64" };
const PT_INTERP = 3;
const LC_CODE_SIGNATURE = 0x1d;
/** The embedded signature's SuperBlob magic, big-endian in the file. */
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;

function elf(b: Uint8Array, v: DataView): ExecFormat {
  // 64-bit little-endian only: every ELF target we release is.
  if (b[4] !== 2 || b[5] !== 1) return { kind: "unknown" };
  const machine = ELF_MACHINES[v.getUint16(18, true)] ?? `0x${v.getUint16(18, true).toString(16)}`;
  const phoff = Number(v.getBigUint64(32, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (v.getUint32(ph, true) !== PT_INTERP) continue;
    const off = Number(v.getBigUint64(ph + 8, true));
    const size = Number(v.getBigUint64(ph + 32, true));
    return { kind: "elf", machine, interpreter: new TextDecoder().decode(b.subarray(off, off + size)).replace(/\0+$/, "") };
  }
  return { kind: "elf", machine, interpreter: null };
}

function macho(v: DataView): ExecFormat {
  const cputype = v.getUint32(4, true);
  const ncmds = v.getUint32(16, true);
  let codeSignature = false;
  for (let i = 0, off = 32; i < ncmds; i++) {
    const cmd = v.getUint32(off, true);
    if (cmd === LC_CODE_SIGNATURE) codeSignature = v.getUint32(v.getUint32(off + 8, true), false) === CSMAGIC_EMBEDDED_SIGNATURE;
    off += v.getUint32(off + 4, true);
  }
  return { kind: "macho", cpu: MACHO_CPUS[cputype] ?? `0x${cputype.toString(16)}`, codeSignature };
}

export function execFormat(bytes: Uint8Array): ExecFormat {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, false) === 0x7f454c46) return elf(bytes, v);
  // MH_MAGIC_64 (0xfeedfacf) as stored little-endian.
  if (v.getUint32(0, true) === 0xfeedfacf) return macho(v);
  return { kind: "unknown" };
}
