#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running demo: installs what is needed,
# builds usp-bridge, and starts `usp-bridge demo` (private mosquitto, agent, virtual sticks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product usp-bridge
exec .build/debug/usp-bridge demo "$@"
