# FerretDB 1.x, SQLite backend (internal/backends/sqlite/collection.go): a find whose whole
# filter is `{_id: {$gte: A, $lt: B}}` (two strings) is pushed down as a range on the `_id`
# index, where FerretDB scanned the collection for any filter but `_id` equality: the range
# of every _id that starts with the longest prefix A and B share (every string from A up to
# B starts with it), or with A itself when B is A with its last character one higher (every
# _id that starts with A). SmartQueue keeps a citizen's tickets and notifications under
# _ids that start with the citizen's id (mixins/db/owner-prefix.ts), and a service's slots
# under _ids that start with the service's and sort by their start (services/appointments/
# slots/key.ts). The index holds each _id as JSON text: for a prefix of characters JSON
# writes as they are (`#` to `~`, not `\`, `<`, `>`, `&`; the prefix is cut at the first
# other), an _id starts with P exactly when its JSON text starts with `"` and P; other
# filters are left as they were. FerretDB filters the rows it reads again, as it always
# does. test/node/ferretdb-id-index.test.ts fails without it.
/^\t\t\targs = \[\]any{string(must.NotFail(sjson.MarshalSingleValue(v)))}$/a\
\t\tcase *types.Document: // SmartQueue patch: every _id starting with a prefix, from the index\
\t\t\twhereClause, args = idPrefixWhere(v)
/^\torderByClause := prepareOrderByClause(params.Sort)$/i\
\tfilterPushdown = filterPushdown || whereClause != "" // SmartQueue patch\

$a\
\
// idPrefixWhere answers the WHERE clause and arguments for `{$gte: A, $lt: B}` on _id (two\
// strings): the range of the index under the longest prefix A and B share, or under A when\
// B is A with its last byte one higher, cut at its first byte JSON does not write as it is;\
// nothing for any other condition, or no such prefix. Every _id from A up to B is in it;\
// FerretDB filters what it reads again. SmartQueue patch (scripts/ferretdb-id-prefix-range.sed).\
func idPrefixWhere(v any) (string, []any) {\
\tcond, isDoc := v.(*types.Document)\
\tif !isDoc || cond.Len() != 2 {\
\t\treturn "", nil\
\t}\
\tlo, _ := cond.Get("$gte")\
\thi, _ := cond.Get("$lt")\
\tfrom, ok := lo.(string)\
\tuntil, ok2 := hi.(string)\
\tif !ok || !ok2 || from == "" {\
\t\treturn "", nil\
\t}\
\tprefix := from\
\tif len(until) != len(from) || until[:len(until)-1] != from[:len(from)-1] || until[len(until)-1] != from[len(from)-1]+1 {\
\t\tn := 0\
\t\tfor n < len(from) && n < len(until) && from[n] == until[n] {\
\t\t\tn++\
\t\t}\
\t\tprefix = from[:n]\
\t}\
\tfor i := 0; i < len(prefix); i++ {\
\t\tif c := prefix[i]; c < '#' || c > '~' || c == '\\\\' || c == '<' || c == '>' || c == '&' {\
\t\t\tprefix = prefix[:i]\
\t\t\tbreak\
\t\t}\
\t}\
\tif prefix == "" {\
\t\treturn "", nil\
\t}\
\tupper := prefix[:len(prefix)-1] + string([]byte{prefix[len(prefix)-1] + 1})\
\treturn fmt.Sprintf(` WHERE %s >= ? AND %s < ?`, metadata.IDColumn, metadata.IDColumn), []any{`"` + prefix, `"` + upper}\
}
