#!/usr/bin/env bash
# Builds FerretDB (MongoDB-compatible server, SQLite backend) once into the cache folder.
# `go install .../cmd/ferretdb@vX` builds a binary that panics at start, because the
# module zip lacks build/version/version.txt; so build from a copy of the module with it.
set -euo pipefail
version="${FERRETDB_VERSION:-v1.24.1}"
cache="${SMARTQUEUE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smartqueue}"
target="$cache/bin/ferretdb-$version"
[ -x "$target" ] && { echo "$target"; exit 0; }

go_bin="$(command -v go || echo /usr/local/go/bin/go)"
[ -x "$go_bin" ] || { echo "FerretDB needs the Go toolchain (go on PATH or /usr/local/go/bin/go) to build" >&2; exit 1; }

module_dir="$("$go_bin" mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$module_dir/." "$work"
chmod -R u+w "$work"
echo "$version" > "$work/build/version/version.txt"
mkdir -p "$cache/bin"
echo "building FerretDB $version into $target (first run only, about 2 minutes)" >&2
(cd "$work" && CGO_ENABLED=0 "$go_bin" build -trimpath -o "$target.tmp" ./cmd/ferretdb)
mv "$target.tmp" "$target"
echo "$target"
