// The one way the HTTP adapters (notification and payment providers) talk to a provider:
// fetch with a deadline, and every failure turned into a ProviderError that says whether a
// retry may help.
import { errors, ProviderError } from "../api/errors.ts";

export interface HttpAnswer {
  status: number;
  body: unknown;
  text: string;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs: number;
}

export async function request(provider: string, url: string, req: HttpRequest): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  let body: string | undefined;
  if (req.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(req.json);
  } else if (req.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(req.form).toString();
  }
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method: req.method ?? "POST", headers, body, signal: AbortSignal.timeout(req.timeoutMs) });
    text = await res.text();
  } catch (err) {
    throw networkFailure(provider, err, req.timeoutMs);
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text };
}

function networkFailure(provider: string, err: unknown, timeoutMs: number): ProviderError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") {
    return errors.providerFailed(provider, `no answer within ${timeoutMs} ms`, { retryable: true, status: null, providerCode: "timeout" });
  }
  const code = e.cause?.code;
  return errors.providerFailed(provider, `could not reach the provider (${code ?? e.cause?.message ?? e.message})`, {
    retryable: true, status: null, providerCode: code,
  });
}

/** A JSON POST under an OAuth2 access token (the adapters' AccessTokenCache hands it out). */
export function postWithBearer(provider: string, url: string, token: string, json: unknown, timeoutMs: number): Promise<HttpAnswer> {
  return request(provider, url, { headers: { authorization: `Bearer ${token}` }, json, timeoutMs });
}

/** 5xx, 429 and 408 may pass later; any other refusal is about the request itself. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

export function statusFailure(provider: string, what: string, answer: HttpAnswer, providerCode?: string): ProviderError {
  const excerpt = answer.text.length > 300 ? `${answer.text.slice(0, 300)}…` : answer.text;
  return errors.providerFailed(provider, `${what} answered ${answer.status}${excerpt ? `: ${excerpt}` : ""}`, {
    retryable: isRetryableStatus(answer.status), status: answer.status, providerCode,
  });
}

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
