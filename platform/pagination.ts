// Lists answer as Django REST Framework does: { count, next, previous, results },
// with `page`, `page_size` (default 20, max 100), `search` and `ordering` (`-field` = desc).
import type { Model } from "mongoose";
import type { Stored } from "./mongo/wire.ts";
import { z } from "zod";
import { errors } from "./errors.ts";
import type { Context } from "moleculer";
import type { CallMeta, RequestInfo } from "./meta.ts";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function listQuery<F extends Record<string, z.ZodType>>(orderingFields: readonly string[], filters: F = {} as F) {
  const allowed = new Set(orderingFields.flatMap((f) => [f, `-${f}`]));
  return z
    .object({
      page: z.coerce.number().int().min(1).default(1),
      page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
      search: z.string().trim().max(100).optional(),
      ordering: z
        .string()
        .optional()
        .refine((o) => o === undefined || o.split(",").every((f) => allowed.has(f)), {
          message: `must be one or more of: ${orderingFields.join(", ")} (prefix '-' for descending)`,
        }),
      ...filters,
    })
    .strict();
}

/** A filter from optional query parameters: those not given do not filter. */
export function definedOnly(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== ""));
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface ListOptions {
  page: number;
  page_size: number;
  search?: string;
  ordering?: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function sortOf(ordering: string | undefined, fallback: string): Record<string, 1 | -1> {
  const sort: Record<string, 1 | -1> = {};
  for (const field of (ordering ?? fallback).split(",")) {
    if (field.startsWith("-")) sort[field.slice(1)] = -1;
    else sort[field] = 1;
  }
  sort._id ??= 1; // a stable order across pages
  return sort;
}

function pageLink(request: RequestInfo | undefined, page: number): string | null {
  if (!request) return null;
  const query = new URLSearchParams({ ...request.query, page: String(page) });
  return `${request.origin}${request.path}?${query.toString()}`;
}

/** What a list searches and how it is ordered unless the caller says otherwise. */
export interface ListSpec {
  searchFields: readonly string[];
  defaultOrdering: string;
}

/** One page of `model` matching `filter`, with DRF links built from the call's request. */
export async function paginate<D, T>(
  ctx: Context<unknown, CallMeta>,
  model: Model<D>,
  filter: Record<string, unknown>,
  page: ListOptions,
  spec: ListSpec,
  toWire: (doc: Stored<D>) => T,
): Promise<Page<T>> {
  const options = { ...page, ...spec, request: ctx.meta.request };
  const where: Record<string, unknown> = { ...filter };
  if (options.search) {
    const pattern = { $regex: escapeRegex(options.search), $options: "i" };
    where.$or = options.searchFields.map((f) => ({ [f]: pattern }));
  }
  const count = await model.countDocuments(where);
  const lastPage = Math.max(1, Math.ceil(count / options.page_size));
  if (options.page > lastPage) throw errors.notFound(`Page ${options.page} (the last page is ${lastPage})`);
  const docs = await model
    .find(where)
    .sort(sortOf(options.ordering, options.defaultOrdering))
    .skip((options.page - 1) * options.page_size)
    .limit(options.page_size)
    .lean<Stored<D>[]>();
  return {
    count,
    next: options.page < lastPage ? pageLink(options.request, options.page + 1) : null,
    previous: options.page > 1 ? pageLink(options.request, options.page - 1) : null,
    results: docs.map(toWire),
  };
}
