// The payments that moved an organisation's money on a day, for its settlement report
// (GET /settlements): a row `<length>:<organization>:<instant ISO>#<transaction id>` in
// `organization_settlements` (mixins/db/dated-rows.ts) for each transition the report
// counts (succeeded, partially refunded, refunded), noted before the change that makes
// it is claimed (ledger.ts). A change that is stored always has its row; a row whose
// change lost its claim, or failed after it was noted, names a payment whose history
// says nothing of that instant, and the report counts what the history says. The report
// reads the rows of its day, then each payment by _id. Filtered on organization_id and
// updated_at, the embedded server scanned every payment ever made.
import { claimEach } from "../../mixins/db/claim.ts";
import { datedRowId, datedRowsBetween, documentsOfRows } from "../../mixins/db/dated-rows.ts";
import type { Transition } from "./transaction-machine.ts";
import type { PaymentsStore, TransactionDoc } from "./store.ts";

const SETTLING: ReadonlySet<string> = new Set(["succeeded", "partially_refunded", "refunded"]);
const DAY_MS = 86_400_000;

/** The rows of the payment's transitions that its organisation's settlement counts. */
export const settlementRowsOf = (tx: Pick<TransactionDoc, "_id" | "organization_id">, transitions: readonly Transition[]) =>
  transitions.filter((t) => SETTLING.has(t.to)).map((t) => ({ _id: datedRowId(tx.organization_id, new Date(t.at), tx._id) }));

/** Notes them; a second note changes nothing. */
export async function noteSettlements(store: PaymentsStore, tx: Pick<TransactionDoc, "_id" | "organization_id">, transitions: readonly Transition[]): Promise<void> {
  await claimEach(store.organizationSettlements, settlementRowsOf(tx, transitions));
}

/** The organisation's payments, as stored now, that noted a settling transition on `day` (YYYY-MM-DD, UTC). */
export async function paymentsSettledOn(store: PaymentsStore, organizationId: string, day: string): Promise<TransactionDoc[]> {
  const from = new Date(`${day}T00:00:00Z`);
  const rows = await datedRowsBetween<Record<never, never>>(store.organizationSettlements, organizationId, from, new Date(from.getTime() + DAY_MS));
  const ids = [...new Set(rows.map((row) => row._id))];
  return documentsOfRows(store.transactions, ids.map((_id) => ({ _id })), (doc) => doc.organization_id === organizationId);
}
