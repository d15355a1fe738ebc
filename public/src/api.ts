// The REST API from a page signed in as a user: the bearer token, a refresh when it has
// expired (once per call), and failures as ApiError with the API's code, told in words.
import { lang } from "./i18n.ts";

export interface Session {
  access: string;
  refresh: string;
  user: { id: string; role: string; organization_id: string | null; first_name?: string; phone: string };
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The refusals a counter meets every day, said plainly; anything else as the API says it. */
const REFUSALS: Record<string, { fr: string; en: string }> = {
  queue_empty: { fr: "Personne n'attend dans cette file.", en: "Nobody is waiting in this queue." },
  counter_busy: { fr: "Ce guichet a déjà un ticket : terminez-le ou marquez-le absent d'abord.", en: "This counter already has a ticket: complete it or mark it a no-show first." },
  counter_has_ticket: { fr: "Ce guichet a encore un ticket : terminez-le d'abord.", en: "This counter still has a ticket: complete it first." },
  counter_closed: { fr: "Ce guichet est fermé : ouvrez-le d'abord.", en: "This counter is closed: open it first." },
  queue_paused: { fr: "La file est en pause.", en: "The queue is paused." },
  queue_closed: { fr: "La file est fermée.", en: "The queue is closed." },
  recalls_remaining: { fr: "Rappelez encore ce ticket avant de le marquer absent.", en: "Recall this ticket again before marking it a no-show." },
  invalid_transition: { fr: "Ce n'est pas possible pour ce ticket maintenant.", en: "This is not possible for this ticket now." },
  bad_credentials: { fr: "Téléphone ou mot de passe incorrect.", en: "Wrong phone or password." },
  forbidden: { fr: "Vous n'avez pas le droit de faire cela.", en: "You are not allowed to do this." },
  not_found: { fr: "Introuvable.", en: "Not found." },
  network: { fr: "Le serveur ne répond pas ; réessayez.", en: "The server does not answer; try again." },
};

export const inWords = (err: unknown) => (err instanceof ApiError ? (REFUSALS[err.code]?.[lang] ?? err.message) : (err as Error).message);

const STORE_KEY = "smartqueue-session";
export const savedSession = (): Session | null => JSON.parse(sessionStorage.getItem(STORE_KEY) ?? "null");
export const saveSession = (session: Session | null) => (session ? sessionStorage.setItem(STORE_KEY, JSON.stringify(session)) : sessionStorage.removeItem(STORE_KEY));

async function send<T>(method: string, path: string, body: unknown, token: string | null): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "network", "network");
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, parsed?.error?.code ?? "network", parsed?.error?.message ?? response.statusText);
  return parsed as T;
}

/** A call as the saved session's user, refreshing its tokens once if they expired. */
export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const session = savedSession();
  try {
    return await send<T>(method, path, body, session?.access ?? null);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "token_expired" || !session || !(await refreshSession())) throw err;
    return send<T>(method, path, body, savedSession()!.access);
  }
}

/** New tokens for the saved session; false (and signed out) if it cannot be refreshed. */
async function refreshSession(): Promise<boolean> {
  const session = savedSession();
  if (!session) return false;
  try {
    const tokens = await send<{ access: string; refresh: string }>("POST", "/api/accounts/auth/refresh/", { refresh: session.refresh }, null);
    saveSession({ ...session, ...tokens });
    return true;
  } catch {
    saveSession(null);
    return false;
  }
}

export async function signIn(phone: string, password: string): Promise<Session> {
  const session = await send<Session>("POST", "/api/accounts/auth/login/", { phone, password }, null);
  saveSession(session);
  return session;
}

/** Every item of a paginated list (offices have tens of branches and queues, not thousands). */
export async function all<T>(path: string): Promise<T[]> {
  const joiner = path.includes("?") ? "&" : "?";
  return (await api<{ results: T[] }>("GET", `${path}${joiner}page_size=100`)).results;
}
