#!/usr/bin/env bash
# Installs what tests/test_real_wordpress.py needs to run a throwaway WordPress: Debian's wordpress, PHP's
# CLI with MySQL support and MariaDB. Idempotent and quiet; starts no server (the test starts its own private
# MariaDB and PHP server and stops them). Exits non-zero when something could not be installed.
set -euo pipefail

PACKAGES=(wordpress php-cli php-mysql mariadb-server)

missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup_wordpress.sh: installing packages needs root" >&2
    exit 1
  fi
  # wordpress depends on a web server (apache2) and a database server comes along: their maintainer
  # scripts must not start them. Debian's container images already forbid it with policy-rc.d; where
  # there is none, one is put in place for the install only.
  policy=/usr/sbin/policy-rc.d
  log=$(mktemp)
  cleanup="rm -f '$log'"
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    cleanup="$cleanup '$policy'"
  fi
  trap "$cleanup" EXIT
  export DEBIAN_FRONTEND=noninteractive
  # apt's output (and debconf's chatter) is shown only when something goes wrong.
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup_wordpress.sh: apt-get could not install ${missing[*]}" >&2
    exit 1
  fi
fi

for binary in /usr/bin/php /usr/sbin/mariadbd /usr/bin/mariadb-install-db /usr/bin/mariadb-admin /usr/bin/mariadb; do
  if [ ! -x "$binary" ]; then
    echo "setup_wordpress.sh: $binary is missing after the install" >&2
    exit 1
  fi
done
if [ ! -f /usr/share/wordpress/wp-load.php ]; then
  echo "setup_wordpress.sh: /usr/share/wordpress is missing after the install" >&2
  exit 1
fi
if ! php -r 'exit(extension_loaded("mysqli") ? 0 : 1);'; then
  echo "setup_wordpress.sh: PHP has no mysqli extension (php-mysql)" >&2
  exit 1
fi
