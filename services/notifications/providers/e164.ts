import { errors } from "../../../mixins/api/errors.ts";

const E164 = /^\+[1-9]\d{6,14}$/;

/** Refused before any network call: no provider can deliver to it, so retrying is pointless. */
export function requireE164(provider: string, to: string): string {
  if (!E164.test(to)) {
    throw errors.providerFailed(provider, `"${to}" is not a phone number in E.164 form (+221…)`, { retryable: false, status: null, providerCode: "invalid_number" });
  }
  return to;
}
