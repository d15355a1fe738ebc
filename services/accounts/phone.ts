// Phone numbers are stored in E.164; local numbers are read in the configured region (+221).
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { errors } from "../../mixins/api/errors.ts";

export function toE164(input: string, region: string, field = "body.phone"): string {
  const parsed = parsePhoneNumberFromString(input, region as CountryCode);
  if (!parsed || !parsed.isValid()) {
    throw errors.validation([{ path: field, message: `is not a valid phone number (local numbers are read as ${region})` }]);
  }
  return parsed.number;
}
