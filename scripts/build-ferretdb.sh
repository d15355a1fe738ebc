#!/usr/bin/env bash
# Builds FerretDB (MongoDB-compatible server, SQLite backend) once into the cache folder.
# `go install .../cmd/ferretdb@vX` builds a binary that panics at start, because the
# module zip lacks build/version/version.txt; so build from a copy of the module with it.
# `--optional` (npm's postinstall): skip, with a note, where it cannot or need not be built,
# so that `npm ci` prepares a fresh machine and `npm start` is ready within seconds.
#
# The `_id` index patch (scripts/ferretdb-sqlite-id-index.sed): FerretDB 1.24's SQLite
# backend builds the unique `_id` index on `_ferretdb_sjson->"_id"`, but its `_id`
# pushdown, updates and deletes filter on `_ferretdb_sjson->'$._id'` (`IDColumn` in
# internal/backends/sqlite/metadata/metadata.go; unchanged in v1.24.2). Same value,
# another expression, so SQLite never used the index: every lookup by `_id` scanned the
# collection. Measured at 30,000 documents: findOne by `_id` 75 ms -> 0.96 ms, updateOne by
# `_id` 202 ms -> 1.46 ms, replaceOne upsert 242 ms -> 1.06 ms, and 8 concurrent writers
# no longer fail with SQLITE_BUSY (`node ../shared/tools/ferretdb-cost.mjs <url>`).
# test/platform/ferretdb-id-index.test.ts fails if a build loses it.
#
# The update patch (scripts/ferretdb-update-closes-each-query.sed): FerretDB 1.24's
# `update` command runs its statements in a loop that defers each statement's query
# Close to the end of the whole command (internal/handler/msg_update.go). Each open query
# holds one of the SQLite pool's 100 connections, so a bulkWrite of about 100 updates
# takes every connection and then waits for one more: every other request of every
# client waits with it. Under `npm run load:history` this stalled the server for 5-10 s
# at a time (journal appends answered 503, token checks timed out); a goroutine dump
# showed 100 open rows all created by one update. The patch closes each statement's query
# when it is done. test/node/ferretdb-bulk-update.test.ts fails without it.
# The serial-writes patch (scripts/ferretdb-serial-writes.sed): SQLite has one writer at a
# time, and FerretDB let every write transaction race for it on its own pooled
# connection; the losers slept in SQLite's busy handler (1, 2, 5 ... 100 ms between tries)
# while the core stood idle. Under `load:tickets` issuance, 1 to 5 goroutines were asleep
# there in each of five goroutine dumps, and a journal insert took 60 ms on average. The
# patch queues writers on a Go mutex (internal/util/fsql/db.go), each woken when the one
# before commits. test/node/ferretdb-serial-writes.test.ts fails without it.
# The turn patch (scripts/ferretdb-update-keeps-write-turn.sed): an `update` command keeps
# the turn for all its statements, as the connection that had just committed used to take
# SQLite's lock again at once; queued statement by statement, a projection batch's 400
# citizen-part updates took 3.7-6.3 s behind the issuers' writes
# (docs/bench-runs/2026-12-03-serial-writes.md). Deletes outside a transaction are left to
# SQLite's own locking. DDL is done under the collection registry's lock, which an
# upsert's collection check takes while holding the turn, so a turn taken inside that lock
# could deadlock with it; the registry patch below takes the turn before it. No test
# can see it from a client; this script refuses to build if it no longer applies. The
# handler is every backend's, so on PostgreSQL too an update command waits for the others.
# The one-transaction patch (scripts/ferretdb-update-one-transaction.sed for the SQLite
# backend's transactions, scripts/ferretdb-update-commits-once.sed for the handler): an
# `update` command's statements go in one transaction per database, each in a savepoint,
# committed once before the command answers, where each was a transaction with a commit
# (a WAL write and an fsync) of its own; a statement that fails is undone alone and the
# ones before it are kept, as before. Under issuance alone the commits of update statements
# were 11% of FerretDB's CPU (docs/bench-runs/2026-12-05-update-one-transaction.md).
# test/node/ferretdb-update-one-transaction.test.ts fails without it. On PostgreSQL the
# handler's half only marks the context, which that backend never reads. With it, the
# registry patch (scripts/ferretdb-registry-takes-write-turn.sed): what changes the
# collection registry (databases, collections, indexes) takes the write turn before the
# registry's lock, as an `update` command does, since the command now keeps SQLite's write
# lock between its statements; test/node/ferretdb-update-one-transaction.test.ts creates
# indexes beside bulk upserts and fails without it (the index creation waited 10 s, then
# failed). Every insert asks the registry to create its collection; one that exists is
# answered without the turn, or each insert queued for the turn twice, once in the
# registry and once for its write (test/node/ferretdb-serial-writes.test.ts).
# The range patch (scripts/ferretdb-id-prefix-range.sed): a find for a range of _ids
# (`{_id: {$gte: A, $lt: B}}`) reads the range of the `_id` index under the prefix A and B
# share, where it scanned the collection; a citizen's tickets and inbox (mixins/db/owner-
# prefix.ts) and a service's slots of a day (services/appointments/slots/key.ts) are read so.
# test/node/ferretdb-id-index.test.ts fails without it.
# The binary's name carries the patches, so a cached unpatched build is never picked up.
set -euo pipefail
optional=false
[ "${1:-}" = "--optional" ] && optional=true
version="${FERRETDB_VERSION:-v1.24.1}"
cache="${SMARTQUEUE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smartqueue}"
patch_name="id-index-update-close-write-turns-one-tx-registry-existing-id-range"
patch_file="$(dirname "$0")/ferretdb-sqlite-id-index.sed"
update_patch_file="$(dirname "$0")/ferretdb-update-closes-each-query.sed"
serial_patch_file="$(dirname "$0")/ferretdb-serial-writes.sed"
turn_patch_file="$(dirname "$0")/ferretdb-update-keeps-write-turn.sed"
one_tx_patch_file="$(dirname "$0")/ferretdb-update-one-transaction.sed"
commits_once_patch_file="$(dirname "$0")/ferretdb-update-commits-once.sed"
registry_patch_file="$(dirname "$0")/ferretdb-registry-takes-write-turn.sed"
prefix_patch_file="$(dirname "$0")/ferretdb-id-prefix-range.sed"
target="$cache/bin/ferretdb-$version-$patch_name"
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
metadata="$work/internal/backends/sqlite/metadata/metadata.go"
sed -i -f "$patch_file" "$metadata"
grep -qF 'IDColumn = DefaultColumn + `->"_id"`' "$metadata" || { echo "the _id index patch no longer applies to FerretDB $version" >&2; exit 1; }
update="$work/internal/handler/msg_update.go"
sed -i -f "$update_patch_file" "$update"
grep -qF 'SmartQueue patch' "$update" && ! grep -qP '^\t\tdefer closer.Close\(\)$' "$update" || { echo "the update patch no longer applies to FerretDB $version" >&2; exit 1; }
fsql="$work/internal/util/fsql/db.go"
sed -i -f "$serial_patch_file" "$fsql"
[ "$(grep -c 'SmartQueue patch' "$fsql")" = 3 ] || { echo "the serial-writes patch no longer applies to FerretDB $version" >&2; exit 1; }
sed -i -f "$turn_patch_file" "$update"
grep -qF 'fsql.HoldWriteTurn(ctx) // SmartQueue patch' "$update" && grep -qF '"github.com/FerretDB/FerretDB/internal/util/fsql"' "$update" || { echo "the turn patch no longer applies to FerretDB $version" >&2; exit 1; }
sed -i -f "$one_tx_patch_file" "$fsql"
[ "$(grep -c 'SmartQueue patch' "$fsql")" = 6 ] || { echo "the one-transaction patch no longer applies to FerretDB $version" >&2; exit 1; }
sed -i -f "$commits_once_patch_file" "$update"
grep -qF 'fsql.CommandTransaction(ctx) // SmartQueue patch' "$update" && grep -qF 'errRes error) { //nolint:lll // SmartQueue patch' "$update" || { echo "the commits-once patch no longer applies to FerretDB $version" >&2; exit 1; }
registry="$work/internal/backends/sqlite/metadata/registry.go"
sed -i -f "$registry_patch_file" "$registry"
[ "$(grep -c 'SmartQueue patch' "$registry")" = 8 ] || { echo "the registry patch no longer applies to FerretDB $version" >&2; exit 1; }
collection="$work/internal/backends/sqlite/collection.go"
sed -i -f "$prefix_patch_file" "$collection"
[ "$(grep -c 'SmartQueue patch' "$collection")" = 4 ] || { echo "the _id prefix patch no longer applies to FerretDB $version" >&2; exit 1; }
mkdir -p "$cache/bin"
echo "building FerretDB $version into $target (first run only, about 2 minutes)" >&2
(cd "$work" && CGO_ENABLED=0 "$go_bin" build -trimpath -o "$target.tmp" ./cmd/ferretdb)
mv "$target.tmp" "$target"
echo "$target"
