#!/usr/bin/env bash
# Fails when Protos/ drifts from the reference TR-369 schema in ../shared/spec/usp.
# Both are compiled to FileDescriptorSets without source info (so comments do not
# count), decoded to text, and compared with the file name normalised.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ref=${USP_SPEC_DIR:-$root/../shared/spec/usp}
if [ ! -f "$ref/usp-record-1-4.proto" ]; then
  echo "schema check skipped: the reference TR-369 schema is not at $ref (set USP_SPEC_DIR)"
  exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
inc=/usr/include
status=0
for pair in "usp-record.proto:usp-record-1-4.proto" "usp-msg.proto:usp-msg-1-4.proto"; do
  ours=${pair%%:*}; theirs=${pair##*:}
  protoc -I "$root/Protos" -o "$tmp/ours.pb" "$ours"
  protoc -I "$ref" -o "$tmp/theirs.pb" "$theirs"
  protoc -I "$inc" --decode=google.protobuf.FileDescriptorSet google/protobuf/descriptor.proto <"$tmp/ours.pb" | grep -v '^  name: ' >"$tmp/ours.txt"
  protoc -I "$inc" --decode=google.protobuf.FileDescriptorSet google/protobuf/descriptor.proto <"$tmp/theirs.pb" | grep -v '^  name: ' >"$tmp/theirs.txt"
  if diff -u "$tmp/theirs.txt" "$tmp/ours.txt" >"$tmp/diff.txt"; then
    echo "schema ok: Protos/$ours matches $theirs"
  else
    echo "schema drift: Protos/$ours differs from $theirs:" >&2; cat "$tmp/diff.txt" >&2; status=1
  fi
done
exit $status
