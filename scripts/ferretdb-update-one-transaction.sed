# FerretDB 1.x, SQLite backend (internal/util/fsql/db.go): an `update` command's statements
# go in one transaction per database, committed once before the command answers (see
# scripts/build-ferretdb.sh), where each statement was a transaction and a commit of its
# own. Each statement runs in a savepoint of it, so a statement that fails leaves nothing
# behind and the ones before it are still committed, as they were. A statement's query
# reads through that transaction, so it sees what the statements before it wrote.
# Applied after scripts/ferretdb-serial-writes.sed; the `update` handler's half is
# scripts/ferretdb-update-commits-once.sed.
/^\tdefer releaseTurn()$/a\
\
\tif tx, joined, err := db.joinCommandTransaction(ctx); joined { // SmartQueue patch\
\t\tif err != nil {\
\t\t\treturn err\
\t\t}\
\
\t\treturn inSavepoint(ctx, tx, f)\
\t}
/^func (db \*DB) QueryContext(ctx context.Context, query string, args \.\.\.any) (\*Rows, error) {$/a\
\tif tx := commandTransactionOf(ctx, db); tx != nil { // SmartQueue patch\
\t\treturn tx.QueryContext(ctx, query, args...)\
\t}\

$a\
\
// SmartQueue patch: the statements of one `update` command in one transaction per database.\
type commandTransactionKey struct{}\
\
type commandTransaction struct {\
\ttxs map[*DB]*Tx\
}\
\
// CommandTransaction gives a context in which the transactions of each database join one,\
// and the function that commits them (once, when the command is done).\
func CommandTransaction(ctx context.Context) (context.Context, func() error) {\
\tct := &commandTransaction{txs: map[*DB]*Tx{}}\
\
\treturn context.WithValue(ctx, commandTransactionKey{}, ct), func() error {\
\t\tvar first error\
\
\t\tfor _, tx := range ct.txs {\
\t\t\tif err := tx.Commit(); err != nil && first == nil {\
\t\t\t\tfirst = lazyerrors.Error(err)\
\t\t\t}\
\t\t}\
\
\t\tct.txs = map[*DB]*Tx{}\
\
\t\treturn first\
\t}\
}\
\
// commandTransactionOf answers the command's transaction of db, if it has begun one.\
func commandTransactionOf(ctx context.Context, db *DB) *Tx {\
\tct, _ := ctx.Value(commandTransactionKey{}).(*commandTransaction)\
\tif ct == nil {\
\t\treturn nil\
\t}\
\
\treturn ct.txs[db]\
}\
\
// joinCommandTransaction answers the command's transaction of db, begun if need be, and\
// whether ctx is a command's at all.\
func (db *DB) joinCommandTransaction(ctx context.Context) (*Tx, bool, error) {\
\tct, _ := ctx.Value(commandTransactionKey{}).(*commandTransaction)\
\tif ct == nil {\
\t\treturn nil, false, nil\
\t}\
\
\tif tx := ct.txs[db]; tx != nil {\
\t\treturn tx, true, nil\
\t}\
\
\tsqlTx, err := db.sqlDB.BeginTx(ctx, nil)\
\tif err != nil {\
\t\treturn nil, true, lazyerrors.Error(err)\
\t}\
\
\ttx := wrapTx(sqlTx, db.l)\
\tct.txs[db] = tx\
\
\treturn tx, true, nil\
}\
\
// inSavepoint runs f in a savepoint of tx: kept if f succeeds, undone if it fails.\
func inSavepoint(ctx context.Context, tx *Tx, f func(*Tx) error) error {\
\tif _, err := tx.ExecContext(ctx, "SAVEPOINT ferretdb_statement"); err != nil {\
\t\treturn lazyerrors.Error(err)\
\t}\
\
\tif err := f(tx); err != nil {\
\t\t_, _ = tx.ExecContext(ctx, "ROLLBACK TO ferretdb_statement")\
\t\t_, _ = tx.ExecContext(ctx, "RELEASE ferretdb_statement")\
\
\t\treturn err\
\t}\
\
\tif _, err := tx.ExecContext(ctx, "RELEASE ferretdb_statement"); err != nil {\
\t\treturn lazyerrors.Error(err)\
\t}\
\
\treturn nil\
}
