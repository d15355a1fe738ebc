// The payment adapters this deployment offers, as configured (config.payments): one per
// enabled method (PAYMENT_METHODS), each with its own credentials and base URL.
import type { Config } from "../../../config/index.ts";
import { FreeMoney } from "./free-money.ts";
import { OrangeMoney } from "./orange-money.ts";
import type { MethodName, PaymentProvider } from "./types.ts";
import { Wave } from "./wave.ts";

type Settings = Config["payments"];

function providerFor(method: MethodName, s: Settings): PaymentProvider {
  const timeoutMs = s.providerTimeoutMs;
  switch (method) {
    case "wave":
      return new Wave({ ...s.wave, toleranceSeconds: s.webhookToleranceSeconds, timeoutMs });
    case "orange_money":
      return new OrangeMoney({ ...s.orangeMoney, timeoutMs });
    case "free_money":
      return new FreeMoney({ ...s.freeMoney, timeoutMs });
  }
}

export function paymentProviders(settings: Settings): Map<MethodName, PaymentProvider> {
  return new Map(settings.methods.map((method) => [method, providerFor(method, settings)]));
}
