# FerretDB 1.x, SQLite backend (internal/util/fsql/db.go): writers take turns in Go (see
# scripts/build-ferretdb.sh). Each write is a transaction on one of up to 100 pooled
# connections, and SQLite lets one of them write at a time: the others got SQLITE_BUSY and
# SQLite's default busy handler slept 1, 2, 5 ... 100 ms between tries, whether or not the
# writer had finished. A mutex queues them instead, each woken when the one before commits.
# The connection is taken before the mutex, so the writer holding it never waits for one.
s|^\t"log/slog"$|&\n\t"sync"|
s|^\tsqlDB     \*sql.DB$|&\n\twriteMu   sync.Mutex // SmartQueue patch: one writer at a time, queued in Go|
/if sqlTx, err = db.sqlDB.BeginTx(ctx, nil); err != nil {/,/^\t}$/s|^\t}$|&\n\n\t// SmartQueue patch: the write lock, once this transaction holds its connection.\n\tdb.writeMu.Lock()\n\tdefer db.writeMu.Unlock()|
s|^\tres, err := db.sqlDB.ExecContext(ctx, query, args...)$|\tres, err := db.execSerialized(ctx, query, args...) // SmartQueue patch|
$s|$|\n\n// execSerialized runs a statement outside a transaction (all of them write) in its turn (SmartQueue patch).\nfunc (db *DB) execSerialized(ctx context.Context, query string, args ...any) (sql.Result, error) {\n\tconn, err := db.sqlDB.Conn(ctx)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tdefer conn.Close()\n\n\tdb.writeMu.Lock()\n\tdefer db.writeMu.Unlock()\n\n\treturn conn.ExecContext(ctx, query, args...)\n}|
