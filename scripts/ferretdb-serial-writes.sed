# FerretDB 1.x, SQLite backend (internal/util/fsql/db.go): writers take turns in Go (see
# scripts/build-ferretdb.sh). Each write is a transaction on one of up to 100 pooled
# connections, and SQLite lets one of them write at a time: the others got SQLITE_BUSY and
# SQLite's default busy handler slept 1, 2, 5 ... 100 ms between tries, whether or not the
# writer had finished. A mutex queues them instead, each woken when the one before commits.
# A transaction waits for its turn before it takes a connection, so the holder of the turn
# never waits for one. HoldWriteTurn lets an `update` command keep the turn for all of its
# statements (scripts/ferretdb-update-keeps-write-turn.sed).
s|^\t"log/slog"$|&\n\t"sync"|
s|^func (db \*DB) InTransaction(ctx context.Context, f func(\*Tx) error) (err error) {$|&\n\tctx, releaseTurn := HoldWriteTurn(ctx) // SmartQueue patch\n\tdefer releaseTurn()\n|
$s|$|\n\n// SmartQueue patch: one writer at a time, queued in Go.\nvar writeTurn sync.Mutex\n\ntype writeTurnKey struct{}\n\n// HoldWriteTurn waits for the write turn, unless ctx holds it already, and gives a\n// context that holds it and the function that gives it back (SmartQueue patch).\nfunc HoldWriteTurn(ctx context.Context) (context.Context, func()) {\n\tif ctx.Value(writeTurnKey{}) != nil {\n\t\treturn ctx, func() {}\n\t}\n\n\twriteTurn.Lock()\n\n\treturn context.WithValue(ctx, writeTurnKey{}, true), writeTurn.Unlock\n}|
