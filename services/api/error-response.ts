// Turns any failure into the one documented shape { error: { code, message, details } }.
// Our own errors keep their status and code; the framework's and the body parser's are
// translated; anything unexpected becomes a 500 without its stack.
import { AppError, errors } from "../../mixins/api/errors.ts";

export interface ErrorResponse {
  status: number;
  body: { error: { code: string; message: string; details: unknown } };
  unexpected: boolean;
}

interface AnyError {
  code?: unknown;
  type?: unknown;
  status?: unknown;
  message?: string;
  data?: unknown;
}

const OUR_CODE = /^[a-z][a-z_]*$/;

function translate(err: AnyError, maxBodyBytes: number): AppError | null {
  // body-parser's errors
  if (err.type === "entity.parse.failed") return errors.malformedJson();
  if (err.type === "entity.too.large") return errors.payloadTooLarge(maxBodyBytes);
  if (err.type === "encoding.unsupported" || err.type === "charset.unsupported") return errors.unsupportedMediaType();
  // moleculer and moleculer-web's errors
  switch (err.type) {
    case "NOT_FOUND":
      return errors.routeNotFound();
    case "RATE_LIMIT_EXCEEDED":
      return errors.rateLimited();
    case "PAYLOAD_TOO_LARGE":
      return errors.payloadTooLarge(maxBodyBytes);
    case "INVALID_REQUEST_BODY":
      return errors.malformedJson();
    case "UNABLE_DECODE_PARAM":
      return errors.malformedUrl();
    case "ORIGIN_NOT_ALLOWED":
    case "ORIGIN_NOT_FOUND":
      return errors.originNotAllowed();
    case "SERVICE_NOT_FOUND":
    case "SERVICE_NOT_AVAILABLE":
    case "REQUEST_TIMEOUT":
    case "REQUEST_REJECTED":
      return errors.unavailable("The service behind this endpoint");
  }
  if (err.code === 503 || err.code === 504) return errors.unavailable("The service behind this endpoint");
  // A node stopping closes its database connection under requests still in flight.
  if ((err as { name?: unknown }).name === "MongoClientClosedError") return errors.unavailable("This node, which is stopping,");
  if (storeBusy(err)) return errors.storeBusy();
  return null;
}

/** The driver lost the server, or the server (FerretDB on SQLite: SQLITE_BUSY, answered as
 * InternalError) could not take the write now: the client may retry, it is not our bug. */
const DRIVER_TRANSIENT = /^Mongo(ose)?(Network|NetworkTimeout|ServerSelection|PoolCleared|WaitQueueTimeout)Error$/;
const SERVER_BUSY = /SQLITE_BUSY|database is locked/i;

function storeBusy(err: AnyError & { name?: unknown }): boolean {
  return (typeof err.name === "string" && DRIVER_TRANSIENT.test(err.name)) || SERVER_BUSY.test(err.message ?? "");
}

export function errorResponse(raw: unknown, maxBodyBytes: number): ErrorResponse {
  const err = (raw ?? {}) as AnyError;
  const ours =
    typeof err.code === "number" && err.code >= 400 && err.code < 600 && typeof err.type === "string" && OUR_CODE.test(err.type);
  const known = ours ? (err as AppError) : translate(err, maxBodyBytes);
  const final = known ?? errors.internal();
  return {
    status: final.code,
    body: { error: { code: final.type, message: final.message, details: final.data ?? null } },
    unexpected: !known,
  };
}
