#!/usr/bin/env bash
# The whole test suite: installs what it needs, checks the wire schema against the
# reference, builds, and runs every test (unit, pty, real mosquitto, SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
bash scripts/check-protos.sh
swift build --build-tests
swift test --skip-build
