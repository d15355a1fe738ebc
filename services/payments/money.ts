// Money is integer XOF (the franc has no smaller unit in use), never a float: a request's
// amount is a JSON integer above zero and at most the deployment's ceiling
// (PAYMENT_MAX_AMOUNT_XOF), or the request is refused with 400 naming the field.
import { z } from "zod";

export function xofAmount(ceiling: number) {
  return z
    .number({ error: "must be a whole number of XOF" })
    .int("must be a whole number of XOF (no decimals)")
    .positive("must be more than 0 XOF")
    .max(ceiling, `must be at most ${ceiling} XOF`);
}
