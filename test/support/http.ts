// A small HTTP client for the REST gateway over real connections.
import { system } from "./system.ts";

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as is, e.g. malformed JSON. */
  raw?: string;
  baseUrl?: string;
}

let routedTo: string | undefined;

/** Sends the requests that name no baseUrl to this gateway instead of the run's node, until
 * called again with undefined: for a test file whose fixtures must live on a node of its own. */
export function routeRequestsTo(baseUrl: string | undefined): void {
  routedTo = baseUrl;
}

export async function call<T = any>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined = options.raw;
  if (body !== undefined && payload === undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${options.baseUrl ?? routedTo ?? system().baseUrl}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export const get = <T = any>(path: string, options?: CallOptions) => call<T>("GET", path, undefined, options);
export const post = <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>("POST", path, body, options);
export const put = <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>("PUT", path, body, options);
export const patch = <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>("PATCH", path, body, options);
export const del = <T = any>(path: string, options?: CallOptions) => call<T>("DELETE", path, undefined, options);
