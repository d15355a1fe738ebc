// Lists answer as Django REST Framework does: { count, next, previous, results },
// with `page`, `page_size` (default 20, max 100), `search` and `ordering` (`-field` = desc).
import type { Model } from "mongoose";
import type { Stored } from "../db/wire.ts";
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
  const where: Record<string, unknown> = { ...filter };
  if (page.search) {
    const pattern = { $regex: escapeRegex(page.search), $options: "i" };
    where.$or = spec.searchFields.map((f) => ({ [f]: pattern }));
  }
  const count = await model.countDocuments(where);
  const skip = checkedSkip(page, count);
  const docs = await model
    .find(where)
    .sort(sortOf(page.ordering, spec.defaultOrdering))
    .skip(skip)
    .limit(page.page_size)
    .lean<Stored<D>[]>();
  return pageOf(ctx, page, count, docs.map(toWire));
}

/** The same page over rows already in memory (a bounded set read at once, e.g. one document's). */
export function paginateRows<D extends object, T>(
  ctx: Context<unknown, CallMeta>,
  rows: readonly D[],
  page: ListOptions,
  spec: ListSpec,
  toWire: (row: D) => T,
): Page<T> {
  const { count, shown } = pageOfRows(rows, page, spec);
  return pageOf(ctx, page, count, shown.map(toWire));
}

/**
 * The same, with `refresh` run on the page's rows only (rows as they are now, say): for a
 * list whose rows, order and search no refreshed field can change.
 */
export async function paginateRowsRefreshed<D extends object, T>(
  ctx: Context<unknown, CallMeta>,
  rows: readonly D[],
  page: ListOptions,
  spec: ListSpec,
  refresh: (rows: D[]) => Promise<D[]>,
  toWire: (row: D) => T,
): Promise<Page<T>> {
  const { count, shown } = pageOfRows(rows, page, spec);
  return pageOf(ctx, page, count, (await refresh(shown)).map(toWire));
}

/** Does the list's ordering (or its default) sort on `field`? */
export const ordersBy = (page: ListOptions, spec: ListSpec, field: string) => (page.ordering ?? spec.defaultOrdering).split(",").some((f) => f.replace(/^-/, "") === field);

/** The rows the search finds, and those of the page asked, in the list's order. */
function pageOfRows<D extends object>(rows: readonly D[], page: ListOptions, spec: ListSpec): { count: number; shown: D[] } {
  const field = (row: D, name: string) => (row as Record<string, unknown>)[name];
  const needle = page.search?.toLowerCase();
  const found = needle ? rows.filter((row) => spec.searchFields.some((f) => String(field(row, f) ?? "").toLowerCase().includes(needle))) : [...rows];
  const sort = Object.entries(sortOf(page.ordering, spec.defaultOrdering));
  found.sort((a, b) => {
    for (const [name, direction] of sort) {
      const order = compare(field(a, name), field(b, name));
      if (order) return order * direction;
    }
    return 0;
  });
  const skip = checkedSkip(page, found.length);
  return { count: found.length, shown: found.slice(skip, skip + page.page_size) };
}

/** As MongoDB sorts mixed values: null and missing first, then numbers, then strings. */
function compare(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === "number" ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (rank(a) === 0) return 0;
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}

const lastPageOf = (page: ListOptions, count: number) => Math.max(1, Math.ceil(count / page.page_size));

/** Rows to skip for the page asked; 404 past the last page. */
function checkedSkip(page: ListOptions, count: number): number {
  const lastPage = lastPageOf(page, count);
  if (page.page > lastPage) throw errors.notFound(`Page ${page.page} (the last page is ${lastPage})`);
  return (page.page - 1) * page.page_size;
}

function pageOf<T>(ctx: Context<unknown, CallMeta>, page: ListOptions, count: number, results: T[]): Page<T> {
  const lastPage = lastPageOf(page, count);
  const request = ctx.meta.request;
  return {
    count,
    next: page.page < lastPage ? pageLink(request, page.page + 1) : null,
    previous: page.page > 1 ? pageLink(request, page.page - 1) : null,
    results,
  };
}
