#!/usr/bin/env bash
# Regenerates Sources/USPMessages/*.pb.swift from Protos/*.proto.
# Needs Debian's protoc (apt-get install protobuf-compiler) and builds
# protoc-gen-swift 1.39.0 from the swift-protobuf package once, into .build-tools/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v protoc >/dev/null || { echo "protoc missing: apt-get install protobuf-compiler" >&2; exit 1; }
plugin="$root/.build-tools/protoc-gen-swift"
if [ ! -x "$plugin" ]; then
  mkdir -p .build-tools
  src=.build-tools/swift-protobuf
  [ -d "$src" ] || git clone -q --branch 1.39.0 https://github.com/apple/swift-protobuf.git "$src"
  (cd "$src" && swift build -c release --product protoc-gen-swift)
  cp "$src/.build/release/protoc-gen-swift" "$plugin"
fi
protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Public \
  --swift_out=Sources/USPMessages \
  -I Protos Protos/usp-record.proto Protos/usp-msg.proto
echo "generated: $(ls Sources/USPMessages/*.pb.swift | tr '\n' ' ')"
