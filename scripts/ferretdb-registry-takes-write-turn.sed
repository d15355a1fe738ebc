# FerretDB 1.x, SQLite backend (internal/backends/sqlite/metadata/registry.go): what takes
# the collection registry's lock to change it (creating or dropping a database, a
# collection or an index) takes the write turn first (scripts/ferretdb-serial-writes.sed).
# An `update` command holds the turn and, since scripts/ferretdb-update-one-transaction.sed,
# SQLite's write lock from its first write to its commit, and its statements take the
# registry's lock (an upsert's collection check): a createIndexes holding the registry's
# lock while its CREATE INDEX waited for SQLite's lock stalled both for SQLite's busy
# timeout (10 s), then failed. Turn before registry, in both, and neither waits for the other.
# Every insert asks the registry to create its collection first: one that exists is
# answered under the registry's read lock, without the turn, or each insert would queue
# for the turn twice (test/node/ferretdb-serial-writes.test.ts).
/^func (r \*Registry) CollectionCreate(ctx context.Context, params \*CollectionCreateParams) (bool, error) {$/a\
\tif r.CollectionGet(ctx, params.DBName, params.Name) != nil { // SmartQueue patch: nothing to create\
\t\treturn false, nil\
\t}\

s|^\tr.rw.Lock()$|\tctx, releaseTurn := fsql.HoldWriteTurn(ctx) // SmartQueue patch: the write turn before the registry's lock\n\tdefer releaseTurn()\n\n&|
