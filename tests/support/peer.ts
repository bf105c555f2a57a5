/**
 * Tests that drive a real outside tool (a peer: `tar --zstd`, `sha256sum`, Chromium) must not pass having checked
 * nothing when it is missing. `.ci/run` installs every peer, so under CI a missing one is an error that fails the
 * file; on a developer's machine the checks that need it are skipped, and stderr says so once per file.
 */

/**
 * Returns true when the checks that need `peer` must be skipped; throws under CI instead. `install`: how to get a
 * peer that is no Debian package (moto comes from pip), said instead of the apt-get line.
 */
export function requirePeer(peer: string, available: boolean, opts: ({ debian: string } | { install: string }) & { skipped: string }): boolean {
  if (available) return false;
  const how = "install" in opts ? opts.install : `apt-get install -y ${opts.debian}; .ci/run installs it`;
  const why = `${peer} is not installed (${how})`;
  if (process.env.CI) throw new Error(`${why}; under CI that fails the run instead of skipping ${opts.skipped}`);
  process.stderr.write(`\nSKIPPED ${opts.skipped}: ${why}\n`);
  return true;
}
