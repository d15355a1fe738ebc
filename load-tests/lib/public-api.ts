// The requests the load drivers make to SmartQueue's public API, as data. The Node
// harnesses send them with fetch (system-under-test.ts), the k6 scripts with k6/http
// (k6/lib/http.ts), so both drive the same sequence. Plain TypeScript with no imports:
// it must load in Node and in k6's runtime alike.

export interface ApiRequest {
  method: "GET" | "POST";
  /** The path as sent. */
  path: string;
  /** The same path as the OpenAPI document names it: ids as `{id}`. Also k6's `name` tag, so one route's requests group together. */
  route: string;
  body?: Record<string, unknown>;
}

const post = (route: string, path: string, body: Record<string, unknown> = {}): ApiRequest => ({ method: "POST", path, route, body });

export const signIn = (phone: string, password: string) => post("/api/accounts/auth/login/", "/api/accounts/auth/login/", { phone, password });

export const registerCitizen = (phone: string, password: string) => post("/api/accounts/auth/register/", "/api/accounts/auth/register/", { phone, password });

export const createOrganization = (name: string, type: string) => post("/api/business/organizations/", "/api/business/organizations/", { name, type });

export const createBranch = (organizationId: string, name: string) =>
  post("/api/business/branches/", "/api/business/branches/", { organization_id: organizationId, name });

export const createQueue = (organizationId: string, branchId: string, name: string) =>
  post("/api/queues/queues/", "/api/queues/queues/", { organization_id: organizationId, branch_id: branchId, name, prefix: "A" });

export const createCounter = (queueId: string, name: string) => post("/api/queues/queues/{id}/counters/", `/api/queues/queues/${queueId}/counters/`, { name });

export const createAgent = (phone: string, password: string, organizationId: string) =>
  post("/api/accounts/users/", "/api/accounts/users/", { phone, password, role: "agent", organization_id: organizationId });

/** A display token for one branch's screens: it opens that branch's queue channels. */
export const createDisplayToken = (branchId: string, name: string) => post("/api/accounts/display-tokens/", "/api/accounts/display-tokens/", { branch_id: branchId, name });

/** A citizen's ticket from their phone. */
export const issueMobileTicket = (queueId: string) => post("/api/queues/tickets/", "/api/queues/tickets/", { queue_id: queueId });

/** A ticket issued by staff at the kiosk, for nobody in particular; without `priority`, the queue's default. */
export const issueKioskTicket = (queueId: string, priority?: string) =>
  post("/api/queues/tickets/", "/api/queues/tickets/", { queue_id: queueId, channel: "kiosk", ...(priority && { priority }) });

/** 200 with the ticket called, or 409 when nobody is waiting. */
export const callNext = (queueId: string, counterId: string) => post("/api/queues/queues/{id}/call-next/", `/api/queues/queues/${queueId}/call-next/`, { counter_id: counterId });

export const startTicket = (ticketId: string) => post("/api/queues/tickets/{id}/start/", `/api/queues/tickets/${ticketId}/start/`);

export const completeTicket = (ticketId: string) => post("/api/queues/tickets/{id}/complete/", `/api/queues/tickets/${ticketId}/complete/`);

export const queueStatus = (queueId: string): ApiRequest => ({ method: "GET", path: `/api/queues/queues/${queueId}/status/`, route: "/api/queues/queues/{id}/status/" });

/**
 * A screen's live queue channel (`ws://host:WS_PORT`), its display token in the query as
 * screens send it, and when it comes back the version it holds (`since`), to resume.
 */
export const queueChannel = (wsBase: string, queueId: string, displayToken: string, since: number | null = null) =>
  `${wsBase}/ws/queue/${queueId}?token=${encodeURIComponent(displayToken)}${since === null ? "" : `&since=${since}`}`;
