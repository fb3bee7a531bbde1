#!/usr/bin/env bash
# Installs a real Bluesky PDS (@atproto/pds) and a PLC directory (@did-plc/server) for
# tests/test_real_bluesky.py into ${COCREATE_VAR_DIR:-<repo>/var}/pds (outside the tracked tree).
# Idempotent: skips `npm ci` when the lockfile and the Node version match an install in the cache
# (~/.cache/cocreate/pds/<their hash>, shared by every clone; PDS_CACHE_DIR moves it).
# Starts no server: the tests start their own on free loopback ports (tests/realservers/bluesky.py).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
src="$repo/.ci/pds"
var_dir="${COCREATE_VAR_DIR:-$repo/var}"
case "$var_dir" in /*) ;; *) var_dir="$repo/$var_dir" ;; esac
dest="$var_dir/pds"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup_pds: node and npm are needed (Node 20: apt-get install nodejs npm)" >&2
  exit 1
fi

# The installed node_modules is kept outside the clone, one folder per lockfile and Node version, and linked
# into $dest: a fresh clone (CI) reuses it instead of spending two minutes in `npm ci` and the native build.
# PDS_CACHE_DIR="" installs into $dest itself.
wanted="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)-node-$(node --version)"
cache_root="${PDS_CACHE_DIR-${XDG_CACHE_HOME:-$HOME/.cache}/cocreate/pds}"
if [ -n "$cache_root" ]; then
  install="$cache_root/$wanted"
else
  install="$dest"
fi
stamp="$install/.installed"

mkdir -p "$dest" "$install"
# One installer at a time (two CI jobs sharing a cache or a var/ would otherwise race on node_modules).
exec 9>"$install/.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi

# The scripts are cheap to copy and may change without the dependencies changing: always refresh them.
cp "$src/package.json" "$src/package-lock.json" "$src"/*.js "$dest/"

link_modules() {
  [ "$install" = "$dest" ] && return 0
  if [ -d "$dest/node_modules" ] && [ ! -L "$dest/node_modules" ]; then
    rm -rf "$dest/node_modules"  # an install from before the cache
  fi
  ln -sfn "$install/node_modules" "$dest/node_modules"
}

# better-sqlite3 is a native module built for one Node ABI: a new Node needs a new install too (a new key).
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -d "$install/node_modules/@atproto/pds" ] \
  && [ -d "$install/node_modules/@did-plc/server" ]; then
  link_modules
  echo "setup_pds: up to date in $install"
  exit 0
fi

echo "setup_pds: npm ci in $install (the better-sqlite3 build takes about 2 minutes)"
rm -f "$stamp"
cp "$src/package.json" "$src/package-lock.json" "$install/"
started=$SECONDS
(cd "$install" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# A smoke check that the native module loads under this Node before declaring the install good.
(cd "$install" && node -e "require('better-sqlite3')(':memory:').close()")
echo "$wanted" >"$stamp"
link_modules
echo "setup_pds: installed in $((SECONDS - started)) s"
