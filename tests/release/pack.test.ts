/** Release archives are reproducible: the same files give the same bytes, whatever their times and modes on disk. */

import { afterAll, expect, test } from "bun:test";
import { chmodSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tarGz, tarItems, type ArchiveFile } from "../../scripts/release/pack.ts";
import { requirePeer } from "../support/peer.ts";
import { tempDir } from "../support/receiver-process.ts";

const dir = tempDir("logtap-pack-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EPOCH = 1_700_000_000;

function files(): ArchiveFile[] {
  writeFileSync(join(dir, "bin"), "#!/bin/sh\necho hi\n");
  writeFileSync(join(dir, "readme"), "# readme\n");
  writeFileSync(join(dir, "bash"), "complete -F _x x\n");
  // Given out of order: the archive sorts them.
  return [
    { path: "logtap", source: join(dir, "bin"), executable: true },
    { path: "completions/logtap.bash", source: join(dir, "bash"), executable: false },
    { path: "README.md", source: join(dir, "readme"), executable: false },
  ];
}

test("entries are sorted, each directory before what it holds", () => {
  expect(tarItems(files(), EPOCH).map((i) => [i.path, i.kind, i.mode.toString(8), i.mtime])).toEqual([
    ["README.md", "file", "644", EPOCH],
    ["completions", "directory", "755", EPOCH],
    ["completions/logtap.bash", "file", "644", EPOCH],
    ["logtap", "file", "755", EPOCH],
  ]);
});

test("the same files give the same bytes, whatever their times and modes on disk; the gzip header has no time or name", async () => {
  const first = await tarGz(files(), EPOCH);
  utimesSync(join(dir, "bin"), 12345, 67890);
  chmodSync(join(dir, "bin"), 0o700);
  chmodSync(join(dir, "readme"), 0o600);
  const second = await tarGz([...files()].reverse(), EPOCH);
  expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  // ID1 ID2 CM FLG MTIME(4) XFL OS: no FNAME flag, MTIME 0, OS 3 (Unix), as `gzip -n` writes it.
  expect([...first.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
  expect([...first.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
  expect(first[9]).toBe(3);
  expect(Buffer.from(await tarGz(files(), EPOCH + 1)).equals(Buffer.from(first))).toBe(false);
});

const noTar = requirePeer("tar", Bun.which("tar") !== null, { debian: "tar", skipped: "listing a release archive with GNU tar" });
test.skipIf(noTar)("GNU tar lists owner 0/0, the fixed modes and the commit's time", async () => {
  const archive = join(dir, "a.tar.gz");
  await Bun.write(archive, await tarGz(files(), EPOCH));
  const r = Bun.spawnSync(["tar", "-tvzf", archive, "--numeric-owner", "--full-time"], { env: { ...process.env, TZ: "UTC" } });
  expect(r.exitCode).toBe(0);
  const rows = r.stdout.toString().trim().split("\n").map((l) => l.split(/\s+/));
  const when = new Date(EPOCH * 1000).toISOString();
  expect(rows.map((c) => [c[0], c[1], `${c[3]}T${c[4]}.000Z`, c[5]])).toEqual([
    ["-rw-r--r--", "0/0", when, "README.md"],
    ["drwxr-xr-x", "0/0", when, "completions/"],
    ["-rw-r--r--", "0/0", when, "completions/logtap.bash"],
    ["-rwxr-xr-x", "0/0", when, "logtap"],
  ]);
});
