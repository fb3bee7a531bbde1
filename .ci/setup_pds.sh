#!/usr/bin/env bash
# Installs a real Bluesky PDS (@atproto/pds) and a PLC directory (@did-plc/server) for
# tests/test_real_bluesky.py into ${COCREATE_VAR_DIR:-<repo>/var}/pds (outside the tracked tree).
# Idempotent: skips `npm ci` when the lockfile and the Node version match the last install.
# Starts no server: the tests start their own on free loopback ports (tests/realservers/bluesky.py).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
src="$repo/.ci/pds"
var_dir="${COCREATE_VAR_DIR:-$repo/var}"
case "$var_dir" in /*) ;; *) var_dir="$repo/$var_dir" ;; esac
dest="$var_dir/pds"
stamp="$dest/.installed"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup_pds: node and npm are needed (Node 20: apt-get install nodejs npm)" >&2
  exit 1
fi

mkdir -p "$dest"
# One installer at a time (two CI jobs sharing a var/ would otherwise race on node_modules).
exec 9>"$dest/.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi

# The scripts are cheap to copy and may change without the dependencies changing: always refresh them.
cp "$src/package.json" "$src/package-lock.json" "$src"/*.js "$dest/"

# better-sqlite3 is a native module built for one Node ABI: a new Node needs a new install too.
wanted="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1) node-$(node --version)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -d "$dest/node_modules/@atproto/pds" ] \
  && [ -d "$dest/node_modules/@did-plc/server" ]; then
  echo "setup_pds: up to date in $dest"
  exit 0
fi

echo "setup_pds: npm ci in $dest (the better-sqlite3 build takes about 2 minutes)"
rm -f "$stamp"
started=$SECONDS
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# A smoke check that the native module loads under this Node before declaring the install good.
(cd "$dest" && node -e "require('better-sqlite3')(':memory:').close()")
echo "$wanted" >"$stamp"
echo "setup_pds: installed in $((SECONDS - started)) s"
