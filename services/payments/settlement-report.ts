// An organisation's settlement for one day, from its payments' histories: per method, what
// succeeded that day and what was refunded that day, and the net; then the day's total.
// Pure: the caller reads the payments that noted a settling transition that day (settlement-rows.ts).
import { stringify } from "csv-stringify/sync";
import type { TransactionDoc } from "./store.ts";

export const SETTLEMENT_COLUMNS = ["date", "organization_id", "method", "payments", "paid_xof", "refunds", "refunded_xof", "net_xof"] as const;

interface Sums {
  payments: number;
  paid_xof: number;
  refunds: number;
  refunded_xof: number;
}

const empty = (): Sums => ({ payments: 0, paid_xof: 0, refunds: 0, refunded_xof: 0 });

/** `day` as YYYY-MM-DD (UTC, which is Senegal's time all year). */
export function settlementRows(organizationId: string, day: string, transactions: Iterable<Pick<TransactionDoc, "organization_id" | "method" | "amount" | "history">>) {
  const within = (at: string) => at.slice(0, 10) === day;
  const byMethod = new Map<string, Sums>();
  for (const tx of transactions) {
    if (tx.organization_id !== organizationId) continue;
    const sums = byMethod.get(tx.method) ?? empty();
    for (const t of tx.history) {
      if (!within(t.at)) continue;
      if (t.to === "succeeded") {
        sums.payments++;
        sums.paid_xof += tx.amount;
      } else if ((t.to === "partially_refunded" || t.to === "refunded") && t.amount) {
        sums.refunds++;
        sums.refunded_xof += t.amount;
      }
    }
    byMethod.set(tx.method, sums);
  }
  const total = empty();
  const rows = [...byMethod.entries()]
    .filter(([, s]) => s.payments || s.refunds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([method, s]) => {
      for (const key of Object.keys(total) as Array<keyof Sums>) total[key] += s[key];
      return { date: day, organization_id: organizationId, method, ...s, net_xof: s.paid_xof - s.refunded_xof };
    });
  return [...rows, { date: day, organization_id: organizationId, method: "total", ...total, net_xof: total.paid_xof - total.refunded_xof }];
}

export function settlementCsv(rows: ReturnType<typeof settlementRows>): string {
  return stringify(rows, { header: true, columns: [...SETTLEMENT_COLUMNS] });
}
