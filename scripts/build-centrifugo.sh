#!/usr/bin/env bash
# Builds Centrifugo (a peer in `npm run bench`, never part of the product) once into the
# cache folder, pinned, through the Go module proxy. Its module asks for Go 1.26, which is
# the toolchain here, so no GOTOOLCHAIN is needed. The version is stamped as the project's
# own release builds do (-X .../internal/build.Version), so `centrifugo version` tells it.
set -euo pipefail
version="${CENTRIFUGO_VERSION:-v6.9.1}"
cache="${SMARTQUEUE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smartqueue}"
target="$cache/bin/centrifugo-$version"
[ -x "$target" ] && { echo "$target"; exit 0; }

go_bin="$(command -v go || echo /usr/local/go/bin/go)"
if [ ! -x "$go_bin" ]; then
  echo "Centrifugo needs the Go toolchain (go on PATH or /usr/local/go/bin/go) to build" >&2
  exit 1
fi

mkdir -p "$cache/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "building Centrifugo $version into $target (first run only, a few minutes)" >&2
CGO_ENABLED=0 GOBIN="$work" "$go_bin" install -trimpath \
  -ldflags "-X github.com/centrifugal/centrifugo/v6/internal/build.Version=${version#v}" \
  "github.com/centrifugal/centrifugo/v6@$version"
mv "$work/centrifugo" "$target"
echo "$target"
