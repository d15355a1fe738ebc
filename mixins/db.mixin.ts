// The db mixin: moleculer-db's DbService over one collection, on the node's one mongoose
// connection (moleculer-db-adapter-mongoose would open its own, on the global mongoose).
// It owns the adapter's start and stop and gives an entity service what every such service
// answers with: a record by id or a 404, DRF pages, and saves and deletes that clean the
// cacher on every node (moleculer-db's entityChanged broadcasts `cache.clean.<service>`,
// which cache-cleaner.mixin.ts listens to) and then call the service's `entityCreated`,
// `entityUpdated` or `entityRemoved` hook. moleculer-db's own CRUD actions are switched
// off: the service's REST actions validate with zod and check the tenant first.
import type { Context, Service, ServiceSchema } from "moleculer";
import DbService from "moleculer-db";
import MongooseDbAdapter from "moleculer-db-adapter-mongoose";
import type { HydratedDocument, Model } from "mongoose";
import { z } from "zod";
import { errors } from "./api/errors.ts";
import type { CallMeta } from "./api/meta.ts";
import { definedOnly, paginate, type ListOptions, type ListSpec } from "./api/pagination.ts";
import { validated } from "./api/validated.ts";
import { isObjectId, withId, type Stored } from "./db/wire.ts";
import { cacheCleaner } from "./cache-cleaner.mixin.ts";

/** The adapter on a model already bound to the node's connection: nothing to open or close here. */
class NodeConnectionAdapter extends MongooseDbAdapter<any> {
  override connect(): Promise<void> {
    this.db = this.model.db.db!;
    return Promise.resolve();
  }
  override disconnect(): Promise<void> {
    return Promise.resolve(); // the node closes its connection once, after every service stopped
  }
}

export interface EntityOptions {
  /** For messages: "branch", "organisation". */
  what: string;
  /** What a list searches and how it is ordered unless asked otherwise. */
  list: ListSpec;
  /** The fields other services may count records by (the internal `countOf` action). */
  countBy?: z.ZodObject;
  /** Ids are the service's own strings, not ObjectIds. */
  stringIds?: boolean;
}

const ById = z.object({ id: z.string().max(64) });

/**
 * For an internal lookup by id: remembered by the node's cacher, cleaned on every node when
 * the record changes (the TTL only bounds staleness should a clean event be lost).
 */
export const BY_ID_CACHE = { keys: ["id"], ttl: 60 };

const CRUD_ACTIONS = ["find", "count", "list", "create", "insert", "get", "update", "remove"] as const;

export type Wire<D> = ReturnType<typeof withId<D & object>>;

/** The methods the mixin gives, for `this` in the service's handlers. */
export interface EntityMethods<D extends object> {
  /** The record as the API shows it, or null (an id that is not an ObjectId finds nothing, unless ids are strings). */
  byId(id: string): Promise<Wire<D> | null>;
  /** `byId`, or a 404. */
  wireOr404(id: string): Promise<Wire<D>>;
  /** The stored record, to change or delete; 404 when there is none. */
  docOr404(id: string): Promise<HydratedDocument<D>>;
  page(ctx: Context<unknown, CallMeta>, filter: Record<string, unknown>, page: ListOptions): Promise<unknown>;
  /** Saves a new or changed record; cleans the caches and calls the service's hook. */
  saved(ctx: Context, doc: HydratedDocument<D>): Promise<Wire<D>>;
  removed(ctx: Context, doc: HydratedDocument<D>): Promise<void>;
}

/** moleculer-db's method that cleans the caches and calls the service's hook. */
interface Changes {
  entityChanged(type: "created" | "updated" | "removed", json: unknown, ctx: Context): Promise<unknown>;
}

/** The service behind `this` in a handler, with the mixin's methods. */
export const entityOf = <D extends object>(service: Service) => service as unknown as EntityMethods<D>;

export function dbMixin<D extends object>(model: Model<D>, { what, list, countBy, stringIds = false }: EntityOptions): ServiceSchema {
  const validId = (id: string) => stringIds || isObjectId(id);
  const notFound = () => errors.notFound(what[0]!.toUpperCase() + what.slice(1));
  return {
    name: "",
    mixins: [DbService, cacheCleaner()],
    adapter: new NodeConnectionAdapter(""),
    model,
    actions: {
      ...Object.fromEntries(CRUD_ACTIONS.map((name) => [name, false])),
      /** Internal: the record as the API shows it, or null. */
      byId: {
        visibility: "public",
        cache: BY_ID_CACHE,
        handler: validated(ById, function (ctx) {
          return entityOf<D>(this).byId(ctx.params.id);
        }),
      },
      ...(countBy && {
        /** Internal: how many records match, e.g. point at an organisation being deleted. */
        countOf: {
          visibility: "public",
          handler: validated(countBy, (ctx) => model.countDocuments(definedOnly(ctx.params as Record<string, unknown>))),
        },
      }),
    },
    async started() {
      await model.createIndexes(); // explicitly: autoIndex is off (db/connection.ts)
    },
    methods: {
      async byId(id: string) {
        const doc = validId(id) ? await model.findById(id).lean<Stored<D>>() : null;
        return doc && withId(doc);
      },
      async wireOr404(this: EntityMethods<D>, id: string) {
        const found = await this.byId(id);
        if (!found) throw notFound();
        return found;
      },
      async docOr404(id: string) {
        const doc = validId(id) ? await model.findById(id) : null;
        if (!doc) throw notFound();
        return doc;
      },
      page(ctx: Context<unknown, CallMeta>, filter: Record<string, unknown>, page: ListOptions) {
        return paginate(ctx, model, filter, page, list, (doc) => withId(doc));
      },
      async saved(this: Changes, ctx: Context, doc: HydratedDocument<D>) {
        const created = doc.isNew;
        const wire = withId((await doc.save()).toObject() as Stored<D>);
        await this.entityChanged(created ? "created" : "updated", wire, ctx);
        return wire;
      },
      async removed(this: Changes, ctx: Context, doc: HydratedDocument<D>) {
        await doc.deleteOne();
        await this.entityChanged("removed", withId(doc.toObject() as Stored<D>), ctx);
      },
    },
  };
}
