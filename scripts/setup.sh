#!/usr/bin/env bash
# Installs what USPBridge needs on Debian 12: the C libraries it links (libmosquitto,
# BlueZ, libusb, SQLite), protoc for the schema check, the mosquitto broker, and
# (with --test) the PyPI tools the tests use. Safe to run again; skips what is present.
set -euo pipefail
want_test=0
[ "${1:-}" = "--test" ] && want_test=1
pkgs=(pkg-config libmosquitto-dev mosquitto libbluetooth-dev libusb-1.0-0-dev libsqlite3-dev openssl protobuf-compiler libprotobuf-dev)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $want_test -eq 1 ] && [ -f scripts/requirements-test.txt ]; then
  python3 -m pip install -q --disable-pip-version-check -r scripts/requirements-test.txt
fi
command -v swift >/dev/null || { echo "setup: swift 6.2 or newer must be on PATH" >&2; exit 1; }
