# FerretDB 1.x, SQLite backend (internal/backends/sqlite/collection.go): a find whose whole
# filter is `{_id: {$gte: P, $lt: Q}}`, Q being P with its last character one higher (every
# _id that starts with P), is pushed down as a range on the `_id` index, where FerretDB
# scanned the collection for any filter but `_id` equality. SmartQueue keeps a citizen's
# tickets under _ids that start with the citizen's id (actors/host/citizen-rows.ts), read
# so. The index holds each _id as JSON text: for a prefix of characters JSON writes as they
# are (`#` to `~`, not `\`, `<`, `>`, `&`), an _id starts with P exactly when its JSON text
# starts with `"` and P; other filters are left as they were. FerretDB filters the rows it
# reads again, as it always does. test/node/ferretdb-id-index.test.ts fails without it.
/^\t\t\targs = \[\]any{string(must.NotFail(sjson.MarshalSingleValue(v)))}$/a\
\t\tcase *types.Document: // SmartQueue patch: every _id starting with a prefix, from the index\
\t\t\twhereClause, args = idPrefixWhere(v)
/^\torderByClause := prepareOrderByClause(params.Sort)$/i\
\tfilterPushdown = filterPushdown || whereClause != "" // SmartQueue patch\

$a\
\
// idPrefixWhere answers the WHERE clause and arguments for `{$gte: P, $lt: Q}` on _id, Q\
// being P with its last byte one higher and P made of bytes JSON writes as they are, or\
// nothing for any other condition. SmartQueue patch (scripts/ferretdb-id-prefix-range.sed).\
func idPrefixWhere(v any) (string, []any) {\
\tcond, isDoc := v.(*types.Document)\
\tif !isDoc || cond.Len() != 2 {\
\t\treturn "", nil\
\t}\
\tlo, _ := cond.Get("$gte")\
\thi, _ := cond.Get("$lt")\
\tprefix, ok := lo.(string)\
\tupper, ok2 := hi.(string)\
\tif !ok || !ok2 || prefix == "" || len(upper) != len(prefix) || upper[:len(upper)-1] != prefix[:len(prefix)-1] || upper[len(upper)-1] != prefix[len(prefix)-1]+1 {\
\t\treturn "", nil\
\t}\
\tfor i := 0; i < len(prefix); i++ {\
\t\tif c := prefix[i]; c < '#' || c > '~' || c == '\\\\' || c == '<' || c == '>' || c == '&' {\
\t\t\treturn "", nil\
\t\t}\
\t}\
\treturn fmt.Sprintf(` WHERE %s >= ? AND %s < ?`, metadata.IDColumn, metadata.IDColumn), []any{`"` + prefix, `"` + upper}\
}
