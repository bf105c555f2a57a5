#!/bin/sh
# Installs logtap from a release: picks the archive for this OS and CPU, checks it against the release's SHA256SUMS,
# and puts the binary into a directory on PATH. Nothing is installed unless the checksum matches. Options: usage().
set -eu

# The project's releases; every part of the script works the same against any other folder of the same files.
DEFAULT_RELEASE_URL="https://github.com/ppiankov/logtap/releases/latest/download"

base_url=${LOGTAP_RELEASE_URL:-$DEFAULT_RELEASE_URL}
prefix=${LOGTAP_INSTALL_DIR:-}
platform=

fail() { echo "install.sh: $*" >&2; exit 1; }

usage() {
  cat <<'EOF'
usage: curl -fsSL "$LOGTAP_RELEASE_URL/install.sh" | sh
       sh install.sh [--base-url URL] [--prefix DIR] [--platform OS_ARCH]

  --base-url URL      the folder with the archives and SHA256SUMS (env LOGTAP_RELEASE_URL; default: the project's
                      latest release); a mirror, or `npm run release`'s dist/release behind a web server or file://
  --prefix DIR        where logtap goes (env LOGTAP_INSTALL_DIR; default /usr/local/bin when writable, else
                      ~/.local/bin)
  --platform OS_ARCH  the archive to take instead of the detected one: linux_amd64, linux_amd64_musl, linux_arm64,
                      darwin_arm64, darwin_amd64
EOF
}

while [ $# -gt 0 ]; do
  case $1 in
    --base-url) [ $# -ge 2 ] || fail "--base-url needs a URL"; base_url=$2; shift 2 ;;
    --prefix) [ $# -ge 2 ] || fail "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --platform) [ $# -ge 2 ] || fail "--platform needs OS_ARCH"; platform=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument $1 (see --help)" ;;
  esac
done
base_url=${base_url%/}

detect_platform() {
  case $(uname -s) in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) fail "no logtap build for $(uname -s) (releases are for Linux and macOS)" ;;
  esac
  case $(uname -m) in
    x86_64|amd64) arch=amd64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) fail "no logtap build for the $(uname -m) CPU (releases are for x86-64 and arm64)" ;;
  esac
  # A shell under Rosetta reports x86_64 on Apple Silicon; the native build is the one to run there.
  if [ "$os" = darwin ] && [ "$arch" = amd64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
    arch=arm64
  fi
  # musl systems (Alpine) cannot run the glibc build: look for musl's loader, or ask ldd which libc it belongs to.
  libc=
  if [ "$os" = linux ]; then
    if ls /lib/ld-musl-*.so.1 >/dev/null 2>&1 || { ldd --version 2>&1 || true; } | grep -qi musl; then libc=_musl; fi
  fi
  [ "$libc" != _musl ] || [ "$arch" = amd64 ] || fail "no musl build for $arch (releases have musl for x86-64 only)"
  echo "${os}_${arch}${libc}"
}

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then wget -q -O "$2" "$1"
  else fail "needs curl or wget to download"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else fail "needs sha256sum or shasum to check the download"
  fi
}

[ -n "$platform" ] || platform=$(detect_platform)
archive="logtap_${platform}.tar.gz"

if [ -z "$prefix" ]; then
  if [ -w /usr/local/bin ]; then prefix=/usr/local/bin; else prefix="$HOME/.local/bin"; fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/logtap-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "downloading $base_url/$archive" >&2
fetch "$base_url/SHA256SUMS" "$tmp/SHA256SUMS" || fail "cannot download $base_url/SHA256SUMS"
# `*name` is sha256sum's binary-mode spelling of the same line.
expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || fail "SHA256SUMS has no line for $archive (no release for $platform?)"
fetch "$base_url/$archive" "$tmp/$archive" || fail "cannot download $base_url/$archive"
actual=$(sha256_of "$tmp/$archive")
[ "$actual" = "$expected" ] || fail "checksum mismatch for $archive: got $actual, SHA256SUMS says $expected (nothing installed)"

mkdir "$tmp/x"
tar -xzf "$tmp/$archive" -C "$tmp/x" logtap || fail "$archive holds no logtap binary"
"$tmp/x/logtap" --version >/dev/null 2>&1 || fail "the downloaded logtap does not run on this machine ($platform)"

mkdir -p "$prefix"
# Copy beside the target, then rename: a running logtap is never overwritten in place.
cp "$tmp/x/logtap" "$prefix/.logtap.install.$$"
chmod 0755 "$prefix/.logtap.install.$$"
mv -f "$prefix/.logtap.install.$$" "$prefix/logtap"

echo "installed $("$prefix/logtap" --version) to $prefix/logtap" >&2
case ":$PATH:" in
  *":$prefix:"*) ;;
  *) echo "note: $prefix is not on PATH; add it, e.g. export PATH=\"$prefix:\$PATH\"" >&2 ;;
esac
