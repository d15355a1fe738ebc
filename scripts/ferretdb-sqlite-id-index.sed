# FerretDB 1.x, SQLite backend: filter `_id` with the very expression its unique `_id`
# index is built on, so SQLite uses that index (see scripts/build-ferretdb.sh).
s|IDColumn = DefaultColumn + "->'\$._id'"|IDColumn = DefaultColumn + `->"_id"`|
