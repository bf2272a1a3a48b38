#!/usr/bin/env bash
# Installs the Debian packages the application needs at run time when they are missing:
# Pango, HarfBuzz and fonts for WeasyPrint (PDF reports). Needs root only when something is
# missing. Extra packages can be asked for as arguments (e.g. `chromium` for the browser tests).
set -euo pipefail

wanted=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core "$@")
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]} (install them, or run as root)" >&2
  exit 1
fi
echo "Installing ${missing[*]} ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
