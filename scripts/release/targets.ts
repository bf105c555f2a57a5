/**
 * The platforms a release is built for. Each names Bun's compile target, the npm package that holds that
 * platform's Bun runtime (the lock pins its version and sha512, scripts/release/runtimes.ts), the archive the
 * README and scripts/install.sh promise, and what the binary must look like (tests/release check it).
 */

export interface ReleaseTarget {
  /** Our name for it, as `npm run release -- --targets` takes it. */
  name: string;
  /** `bun build --compile --target`. */
  bunTarget: string;
  /** The package whose `bin/bun` is the runtime embedded in the executable. */
  runtimePackage: string;
  /** `<os>_<arch>` in the archive names, as the upstream releases spell them (amd64, not x64). */
  archiveSuffix: string;
  /** The sidecar runs in Linux pods only. */
  forwarder: boolean;
  /** The executable format: ELF with its program interpreter, or Mach-O for a CPU. */
  format: { kind: "elf"; machine: "x86-64" | "aarch64"; interpreter: string } | { kind: "macho"; cpu: "arm64" | "x86-64" };
}

export const TARGETS: readonly ReleaseTarget[] = [
  {
    name: "linux-x64",
    bunTarget: "bun-linux-x64",
    runtimePackage: "@oven/bun-linux-x64",
    archiveSuffix: "linux_amd64",
    forwarder: true,
    format: { kind: "elf", machine: "x86-64", interpreter: "/lib64/ld-linux-x86-64.so.2" },
  },
  {
    name: "linux-x64-musl",
    bunTarget: "bun-linux-x64-musl",
    runtimePackage: "@oven/bun-linux-x64-musl",
    archiveSuffix: "linux_amd64_musl",
    forwarder: true,
    format: { kind: "elf", machine: "x86-64", interpreter: "/lib/ld-musl-x86_64.so.1" },
  },
  {
    name: "linux-arm64",
    bunTarget: "bun-linux-arm64",
    runtimePackage: "@oven/bun-linux-aarch64",
    archiveSuffix: "linux_arm64",
    forwarder: true,
    format: { kind: "elf", machine: "aarch64", interpreter: "/lib/ld-linux-aarch64.so.1" },
  },
  {
    name: "darwin-arm64",
    bunTarget: "bun-darwin-arm64",
    runtimePackage: "@oven/bun-darwin-aarch64",
    archiveSuffix: "darwin_arm64",
    forwarder: false,
    format: { kind: "macho", cpu: "arm64" },
  },
  {
    name: "darwin-x64",
    bunTarget: "bun-darwin-x64",
    runtimePackage: "@oven/bun-darwin-x64",
    archiveSuffix: "darwin_amd64",
    forwarder: false,
    format: { kind: "macho", cpu: "x86-64" },
  },
];

export function archiveName(binary: "logtap" | "logtap-forwarder", target: ReleaseTarget): string {
  return `${binary}_${target.archiveSuffix}.tar.gz`;
}

/** The targets named in `--targets a,b` (all when none are named); an unknown name is an error. */
export function selectTargets(names: string | undefined): ReleaseTarget[] {
  if (names === undefined) return [...TARGETS];
  return names.split(",").map((n) => {
    const t = TARGETS.find((x) => x.name === n.trim());
    if (!t) throw new Error(`unknown target ${JSON.stringify(n)} (known: ${TARGETS.map((x) => x.name).join(", ")})`);
    return t;
  });
}
