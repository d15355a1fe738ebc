#!/usr/bin/env bash
# Builds FerretDB (MongoDB-compatible server, SQLite backend) once into the cache folder.
# `go install .../cmd/ferretdb@vX` builds a binary that panics at start, because the
# module zip lacks build/version/version.txt; so build from a copy of the module with it.
# `--optional` (npm's postinstall): skip, with a note, where it cannot or need not be built,
# so that `npm ci` prepares a fresh machine and `npm start` is ready within seconds.
set -euo pipefail
optional=false
[ "${1:-}" = "--optional" ] && optional=true
version="${FERRETDB_VERSION:-v1.24.1}"
cache="${SMARTQUEUE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smartqueue}"
target="$cache/bin/ferretdb-$version"
[ -x "$target" ] && { echo "$target"; exit 0; }

go_bin="$(command -v go || echo /usr/local/go/bin/go)"
if $optional && command -v mongod >/dev/null; then echo "mongod is on the PATH: FerretDB not needed" >&2; exit 0; fi
if [ ! -x "$go_bin" ]; then
  $optional && { echo "no Go toolchain: FerretDB not built (set MONGO_URL or put mongod on the PATH)" >&2; exit 0; }
  echo "FerretDB needs the Go toolchain (go on PATH or /usr/local/go/bin/go) to build" >&2
  exit 1
fi

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
