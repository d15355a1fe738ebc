// Bulk inserts of documents this code builds itself, checked against their schema and
// sent through the driver as they are. mongoose's insertMany builds, casts and validates a
// Document per row, and on the durable path that was the largest single cost of a
// node's CPU per command (load:call-next's CPU profile: about 10% of the node, in
// `new Model` and `$validate`, for one or two small documents per command). The rows
// here are typed and built in one place, so the check is what mongoose's would catch:
// a required field missing, a field of the wrong type, a string outside its enum. An
// invalid row fails the whole insert before anything is written. Defaults, timestamps and
// the version key are filled in as mongoose would; fields the schema does not name are
// kept (mongoose's strict mode would drop them).
import type { InsertManyResult, Model, Schema } from "mongoose";

type Kind = "String" | "Number" | "Date" | "Boolean" | "Mixed";

interface Field {
  path: string;
  kind: Kind;
  required: boolean;
  /** A string's allowed values, when the schema lists them. */
  allowed?: readonly string[];
  /** Set when the schema gives one that is a value, not a function. */
  fallback?: unknown;
}

const checks: Record<Kind, (value: unknown) => boolean> = {
  String: (v) => typeof v === "string",
  Number: (v) => typeof v === "number" && Number.isFinite(v),
  Date: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  Boolean: (v) => typeof v === "boolean",
  Mixed: () => true,
};

const fieldsBySchema = new WeakMap<Schema, Field[] | null>();

/** The validators checked here: presence, and a string's enum. */
const CHECKED_VALIDATORS = new Set(["required", "enum"]);

/** A path mongoose would do more with than this file checks: other validators (a min, a
 * match, a function…) or setters (trim, lowercase…). */
function transformedOrValidated(type: { validators: Array<{ type?: string }>; setters?: unknown[] }): boolean {
  return type.validators.some((v) => !CHECKED_VALIDATORS.has(v.type ?? "")) || (type.setters?.length ?? 0) > 0;
}

/** The fields of a flat schema (strings, numbers, dates, booleans, mixed, no nesting, nothing
 * validated but `required` and enums, no setters); null for any other. */
function fieldsOf(schema: Schema): Field[] | null {
  if (fieldsBySchema.has(schema)) return fieldsBySchema.get(schema)!;
  let fields: Field[] | null = [];
  const stamped = new Set(Object.values(timestampNames(schema) ?? {}));
  schema.eachPath((path, type) => {
    const kind = type.instance as Kind;
    // A timestamp's setter keeps it immutable once saved: stamps() sets it on a new document.
    if (stamped.has(path)) return;
    if (path.includes(".") || !(kind in checks) || transformedOrValidated(type as never)) return void (fields = null);
    // An _id is always required here: without one the driver would make up an ObjectId.
    const required = path === "_id" || Boolean(type.isRequired);
    const { defaultValue, enumValues } = type as unknown as { defaultValue?: unknown; enumValues?: string[] };
    fields?.push({
      path, kind, required,
      ...(enumValues?.length && { allowed: enumValues }),
      ...(defaultValue !== undefined && typeof defaultValue !== "function" && { fallback: defaultValue }),
    });
  });
  fieldsBySchema.set(schema, fields);
  return fields;
}

/** The fields a schema's timestamps go in, if it has them. */
function timestampNames(schema: Schema): { createdAt?: string; updatedAt?: string } | null {
  const { timestamps } = schema.options as { timestamps?: boolean | { createdAt?: string; updatedAt?: string } };
  return timestamps === true ? { createdAt: "createdAt", updatedAt: "updatedAt" } : timestamps || null;
}

type Stamp = (doc: Record<string, unknown>) => void;
const stampsBySchema = new WeakMap<Schema, Stamp>();
const stampsOf = (schema: Schema) => stampsBySchema.get(schema) ?? stampsBySchema.set(schema, stamps(schema)).get(schema)!;

/** What mongoose adds to a new document besides its fields: its timestamps and its version key. */
function stamps(schema: Schema): Stamp {
  const { versionKey } = schema.options as { versionKey?: string | false };
  const named = timestampNames(schema);
  return (doc) => {
    if (named) {
      const now = new Date();
      if (named.createdAt && doc[named.createdAt] === undefined) doc[named.createdAt] = now;
      if (named.updatedAt) doc[named.updatedAt] = doc[named.updatedAt] ?? now;
    }
    if (versionKey !== false) doc[versionKey ?? "__v"] = 0;
  };
}

/** Whether a model's documents can be checked here (its schema is flat). */
export const checkable = (model: Model<any>) => fieldsOf(model.schema) !== null;

export class InvalidDocument extends Error {
  constructor(collection: string, path: string, problem: string) {
    super(`${collection} validation failed: ${path} ${problem}`);
    this.name = "ValidationError";
  }
}

/** Each document with its schema's defaults filled in; throws InvalidDocument on the first one that breaks the schema. */
export function checkedDocuments<D extends object>(model: Model<D>, docs: readonly D[]): D[] {
  const fields = fieldsOf(model.schema);
  if (!fields) throw new Error(`${model.collection.collectionName}: checked inserts take flat schemas only`);
  const stamp = stampsOf(model.schema);
  return docs.map((doc) => {
    const checked = { ...doc } as Record<string, unknown>;
    stamp(checked);
    for (const { path, kind, required, allowed, ...rest } of fields) {
      let value = checked[path];
      if (value === undefined && "fallback" in rest) value = checked[path] = rest.fallback;
      if (value === undefined || value === null) {
        if (required) throw new InvalidDocument(model.collection.collectionName, path, "is required");
        continue;
      }
      if (!checks[kind](value)) throw new InvalidDocument(model.collection.collectionName, path, `is not a ${kind}`);
      if (allowed && !allowed.includes(value as string)) throw new InvalidDocument(model.collection.collectionName, path, `is not one of ${allowed.join(", ")}`);
    }
    return checked as D;
  });
}

/** An unordered insert of checked documents; a duplicate _id fails as the driver reports it (writeErrors with each index). */
export async function insertChecked<D extends object>(model: Model<D>, docs: readonly D[]): Promise<InsertManyResult<D>> {
  return (await model.collection.insertMany(checkedDocuments(model, docs) as never[], { ordered: false })) as unknown as InsertManyResult<D>;
}
