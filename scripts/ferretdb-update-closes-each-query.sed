# FerretDB 1.x, `update` command: release each statement's query (and the SQLite connection
# it holds) once that statement is done, not when the whole command returns (see
# scripts/build-ferretdb.sh). The loop deferred every Close to the end of the command.
/^\t\tdefer closer.Close()$/d
s|^\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, \&u)$|&\n\t\tcloser.Close() // SmartQueue patch: free this statement's connection now|
