# FerretDB 1.x, `update` command (internal/handler/msg_update.go): its statements run in the
# command's transaction (scripts/ferretdb-update-one-transaction.sed), committed once they
# are all done or one has failed, before the command answers; a failed commit is the
# command's error. Applied after scripts/ferretdb-update-keeps-write-turn.sed.
s|^func (h \*Handler) updateDocument(ctx context.Context, params \*common.UpdateParams) (int32, int32, \*types.Array, error) {$|func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (matchedRes, modifiedRes int32, upsertedRes *types.Array, errRes error) { //nolint:lll // SmartQueue patch|
/^\tdefer releaseTurn()$/a\
\
\tctx, commitStatements := fsql.CommandTransaction(ctx) // SmartQueue patch\
\tdefer func() {\
\t\tif err := commitStatements(); err != nil \&\& errRes == nil {\
\t\t\tmatchedRes, modifiedRes, upsertedRes, errRes = 0, 0, nil, lazyerrors.Error(err)\
\t\t}\
\t}()
