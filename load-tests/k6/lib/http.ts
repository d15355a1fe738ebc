// Sends a request of the catalogue shared with the Node harnesses (../../lib/public-api.ts)
// with k6/http: every request the k6 scripts make goes through here. Each is tagged with
// its route, so k6 reports one http_req_duration line per route, not per ticket id.
import http, { type RefinedResponse } from "k6/http";
import { check } from "k6";
import type { ApiRequest } from "../../lib/public-api.ts";
import { BASE_URL } from "./env.ts";

function params(request: ApiRequest, token: string | undefined, expected: number[]) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return { headers, tags: { name: request.route }, responseCallback: http.expectedStatuses(...expected) };
}

function checked(request: ApiRequest, res: RefinedResponse<"text">, expected: number[]): RefinedResponse<"text"> {
  check(res, { [`${request.method} ${request.route}: ${expected.join(" or ")}`]: (r) => expected.includes(r.status) });
  return res;
}

const payload = (request: ApiRequest) => (request.body === undefined ? null : JSON.stringify(request.body));

/** Sends `request`; a status outside `expected` counts in http_req_failed and fails the `check`. */
export function send(request: ApiRequest, token?: string, expected: number[] = [200, 201]): RefinedResponse<"text"> {
  return checked(request, http.request(request.method, `${BASE_URL}${request.path}`, payload(request), params(request, token, expected)), expected);
}

/** Sends `requests` at once, as the harnesses' Promise.all does. */
export function sendAll(requests: ApiRequest[], token?: string, expected: number[] = [200, 201]): RefinedResponse<"text">[] {
  const answers = http.batch(requests.map((request) => ({ method: request.method, url: `${BASE_URL}${request.path}`, body: payload(request), params: params(request, token, expected) })));
  return answers.map((res, i) => checked(requests[i]!, res as RefinedResponse<"text">, expected));
}

/** The answer's JSON body, or null when there is none or it is not JSON (a refused request). */
export function body<T = Record<string, any>>(res: RefinedResponse<"text">): T | null {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    return null;
  }
}
