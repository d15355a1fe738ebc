# FerretDB 1.x, `update` command (internal/handler/msg_update.go): the command keeps the
# write turn (scripts/ferretdb-serial-writes.sed) for all of its statements, taken once its
# collection exists. Each statement is still a transaction of its own; without this, each
# waited for its turn behind every other writer, and a bulk of 400 updates took seconds.
s|^\t"github.com/FerretDB/FerretDB/internal/util/lazyerrors"$|&\n\t"github.com/FerretDB/FerretDB/internal/util/fsql"|
s|^\tfor _, u := range params.Updates {$|\tctx, releaseTurn := fsql.HoldWriteTurn(ctx) // SmartQueue patch\n\tdefer releaseTurn()\n\n&|
