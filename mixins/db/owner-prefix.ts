// Documents of one owner (a citizen, say) kept under `<length of the owner's id>:<owner
// id>:<rest>`, so that the owner's documents are a range of _ids: read from the _id index
// on MongoDB as it is, and on the embedded server with scripts/ferretdb-id-prefix-range.sed,
// whatever else the collection holds. Any other filter (user_id, say) scans the whole
// collection on the embedded server. The length comes first so that no owner's prefix
// starts another's, whatever their ids hold.

/** The start of every _id of the owner's documents. */
export const ownerPrefix = (ownerId: string) => `${ownerId.length}:${ownerId}:`;

/** Every _id that starts with `prefix`, an owner's prefix or several in a row (up to the prefix with its last ":" raised to ";"): the form the embedded server reads from its index. */
export const underPrefix = (prefix: string) => ({ _id: { $gte: prefix, $lt: `${prefix.slice(0, -1)};` } });

/** Every _id that starts with the owner's prefix. */
export const ofOwner = (ownerId: string) => underPrefix(ownerPrefix(ownerId));
