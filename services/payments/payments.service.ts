// payments: mobile-money payments (Wave, Orange Money, Free Money) behind one provider
// interface (providers/), a pure transaction machine (transaction-machine.ts) written one
// version at a time (ledger.ts), and the rules of starting (checkout.ts), settling
// (settlement.ts) and refunding (refunds.ts). Handlers validate, authorise and delegate.
import type { Context, ServiceSchema } from "moleculer";
import { currentUser, isStaffOf, listedOrganization, listScope } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { CallMeta } from "../../mixins/api/meta.ts";
import { daysBack, listWindow } from "../../mixins/api/list-window.ts";
import { ordersBy, paginateRows, paginateRowsRefreshed } from "../../mixins/api/pagination.ts";
import { created } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { dbMixin } from "../../mixins/db.mixin.ts";
import type { NodeDeps } from "../node-deps.ts";
import { refundableBy, seenOr404, transactionToWire } from "./access.ts";
import { announce } from "./announce.ts";
import { paymentsOfCitizen } from "./citizen-payments.ts";
import { organizationPaymentRows, paymentsOfRows } from "./organization-payments.ts";
import { createTransaction, startPayment, type CheckoutDeps, type DepositAppointment, type NewPayment, type OfferedService } from "./checkout.ts";
import { current, type Changed } from "./ledger.ts";
import { paymentProviders } from "./providers/from-config.ts";
import { METHODS, type MethodName } from "./providers/types.ts";
import { refund } from "./refunds.ts";
import * as S from "./schemas.ts";
import { settlementCsv, settlementRows } from "./settlement-report.ts";
import { paymentsSettledOn } from "./settlement-rows.ts";
import { receiveWebhook, reconcile, verify, type SettlementDeps } from "./settlement.ts";
import { paymentsStore, type TransactionDoc } from "./store.ts";

const LIST = { searchFields: ["description", "phone"], defaultOrdering: "-created_at" };
/** The days up to today a staff list of payments covers unless told. It reads every row of its window (for its count): 0.2 s for a week of an organisation paid 100,000 times a year, 1.2 s for a month. */
const DEFAULT_LIST_DAYS = 7;
const NAMES: Record<MethodName, string> = { wave: "Wave", orange_money: "Orange Money", free_money: "Free Money" };
const transactionPath = (id: string) => `/api/payments/transactions/${id}/`;

/** What the gateway's webhook route puts in ctx.meta: the request's headers. */
type WebhookMeta = CallMeta & { webhook?: { headers: Record<string, string | string[] | undefined> } };

/** The provider a notification posted to /api/payments/webhooks/ (no provider in the path) comes from. */
function detectProvider(headers: Record<string, unknown>, raw: string): MethodName | null {
  if (headers["wave-signature"]) return "wave";
  if (raw.includes("api_key_sha256")) return "free_money";
  if (raw.includes("notif_token")) return "orange_money";
  return null;
}

export default function paymentsService({ config, db }: NodeDeps): ServiceSchema {
  const settings = config.payments;
  const store = paymentsStore(db);
  const providers = paymentProviders(settings);
  const now = () => new Date();
  const checkout: CheckoutDeps = { store, providers, publicUrl: settings.publicUrl, returnUrl: settings.returnUrl, firstCheckMs: settings.verifyBackoffMs, now };
  const settlement: SettlementDeps = { store, providers, pendingExpiryMs: settings.pendingExpiryMs, verifyBackoffMs: settings.verifyBackoffMs, now };
  const schemas = S.paymentSchemas(settings.maxAmountXof);

  /** What a new payment pays for: its service, and the appointment whose deposit it is. */
  const paidFor = async (ctx: Context, body: NewPayment) => ({
    service: await ctx.call<OfferedService | null, { id: string }>("business.services.byId", { id: body.service_id }),
    appointment: body.appointment_id ? await ctx.call<DepositAppointment | null, { id: string }>("appointments.forDeposit", { id: body.appointment_id }) : undefined,
  });
  const seen = async (ctx: Context<unknown, CallMeta>, id: string) => seenOr404(currentUser(ctx), await current(store, id));
  const announced = (ctx: Context, changed: Changed | null | undefined) => {
    if (changed) announce(ctx, changed);
  };

  return {
    name: "payments",
    mixins: [dbMixin(store.transactions, { what: "transaction", stringIds: true, list: LIST })],
    settings: { rest: "/payments" },
    actions: {
      listMethods: {
        rest: "GET /methods",
        handler: validated(S.ListMethods, function (ctx) {
          currentUser(ctx);
          const results = METHODS.filter((m) => providers.has(m)).map((m) => ({
            id: m, name: NAMES[m], currency: "XOF", fee_percent: settings.feePercent,
            min_amount: 1, max_amount: settings.maxAmountXof, refunds: providers.get(m)!.refunds,
          }));
          return { count: results.length, next: null, previous: null, results };
        }),
      },
      listTransactions: {
        rest: "GET /transactions",
        handler: validated(S.ListTransactions, async function (ctx) {
          const user = currentUser(ctx);
          const { status, method, service_id, user_id, organization_id, date_from, date_to, ...page } = ctx.params.query;
          const scope = listScope(user);
          const { from, until } = listWindow({ date_from, date_to }, daysBack(Date.now(), DEFAULT_LIST_DAYS));
          const picked = (doc: Pick<TransactionDoc, "method" | "service_id">) => (method === undefined || doc.method === method) && (service_id === undefined || doc.service_id === service_id);
          // A citizen's are their own, whatever user_id says: read from their rows.
          if ("user_id" in scope) {
            const dated = date_from !== undefined || date_to !== undefined;
            const kept = (doc: TransactionDoc) => picked(doc) && (status === undefined || doc.status === status) && (!dated || (doc.created_at >= from && doc.created_at < until));
            return paginateRows(ctx, (await paymentsOfCitizen(store, user.id)).filter(kept), page, LIST, transactionToWire);
          }
          const organizationId = listedOrganization(scope, organization_id, "payments");
          if (organizationId === null) return paginateRows(ctx, [], page, LIST, transactionToWire);
          const rows = (await organizationPaymentRows(store, organizationId, from, until)).filter((row) => picked(row) && (user_id === undefined || row.user_id === user_id));
          // Only the page's payments are read unless what picks or orders them is not in the rows.
          if (status === undefined && !page.search && !ordersBy(page, LIST, "amount") && !ordersBy(page, LIST, "status")) {
            return paginateRowsRefreshed(ctx, rows, page, LIST, (shown) => paymentsOfRows(store, organizationId, shown), (doc) => transactionToWire(doc as TransactionDoc));
          }
          const docs = (await paymentsOfRows(store, organizationId, rows)).filter((doc) => status === undefined || doc.status === status);
          return paginateRows(ctx, docs, page, LIST, transactionToWire);
        }),
      },
      createTransaction: {
        rest: "POST /transactions",
        handler: validated(schemas.CreateTransaction, async function (ctx) {
          const user = currentUser(ctx);
          const body = ctx.params.body as NewPayment;
          const { tx, isNew } = await createTransaction(checkout, user, body, await paidFor(ctx, body), ctx.meta.request?.idempotency_key);
          return isNew ? created(ctx, transactionPath(tx._id), transactionToWire(tx)) : transactionToWire(tx);
        }),
      },
      getTransaction: {
        rest: "GET /transactions/:id",
        handler: validated(S.GetTransaction, (ctx) => seen(ctx, ctx.params.params.id).then(transactionToWire)),
      },
      processPayment: {
        rest: "POST /process-payment",
        handler: validated(schemas.ProcessPayment, async function (ctx) {
          const user = currentUser(ctx);
          const body = ctx.params.body;
          let tx: TransactionDoc;
          let isNew = false;
          if (body.transaction_id) {
            tx = await seen(ctx, body.transaction_id);
            if (tx.user_id !== user.id) throw errors.forbidden("pay for someone else's transaction");
          } else {
            ({ tx, isNew } = await createTransaction(checkout, user, body as NewPayment, await paidFor(ctx, body as NewPayment), ctx.meta.request?.idempotency_key));
          }
          const started = await startPayment(checkout, tx);
          const shown = transactionToWire(started?.tx ?? tx);
          return isNew ? created(ctx, transactionPath(tx._id), shown) : shown;
        }),
      },
      verifyPayment: {
        rest: "POST /verify-payment",
        handler: validated(schemas.VerifyPayment, async function (ctx) {
          const tx = await seen(ctx, ctx.params.body.transaction_id);
          const changed = await verify(settlement, tx, "verification");
          announced(ctx, changed);
          return transactionToWire(changed?.tx ?? tx);
        }),
      },
      refund: {
        rest: "POST /refund",
        handler: validated(schemas.Refund, async function (ctx) {
          const { transaction_id, amount } = ctx.params.body;
          const tx = refundableBy(currentUser(ctx), await current(store, transaction_id));
          const result = await refund({ store, providers, now }, tx, amount, ctx.meta.request?.idempotency_key);
          for (const changed of result.changes) announced(ctx, changed);
          return { ...transactionToWire(result.tx), refund: result.refund };
        }),
      },

      settlement: {
        rest: "GET /settlements",
        handler: validated(S.Settlement, async function (ctx) {
          const user = currentUser(ctx);
          const organizationId = ctx.params.query.organization_id ?? user.organization_id;
          if (!organizationId) throw errors.validation([{ path: "query.organization_id", message: "is required for the platform admin" }]);
          if (!isStaffOf(user, organizationId)) throw errors.forbidden("read another organisation's settlement");
          const day = ctx.params.query.date ?? now().toISOString().slice(0, 10);
          // Every payment that noted a settling transition that day: its history says what happened.
          const settled = await paymentsSettledOn(store, organizationId, day);
          const meta = ctx.meta as CallMeta & { $responseType?: string; $responseHeaders?: Record<string, string> };
          meta.$responseType = "text/csv; charset=utf-8";
          meta.$responseHeaders = { "Content-Disposition": `attachment; filename="settlement-${organizationId}-${day}.csv"` };
          return settlementCsv(settlementRows(organizationId, day, settled));
        }),
      },

      /** A provider's notification, routed by the gateway with its raw body (api.service.ts). */
      webhook: {
        visibility: "published",
        handler: validated(S.Webhook, async function (ctx) {
          const headers = (ctx.meta as WebhookMeta).webhook?.headers ?? {};
          const path = ctx.params.params.provider;
          const method = path ? S.WEBHOOK_PATHS[path] : detectProvider(headers, ctx.params.body);
          if (!method) throw errors.webhookRefused("malformed", "it names no provider we know");
          const delivery = { raw: ctx.params.body, headers, query: ctx.params.query, now: Date.now() };
          const later = (work: () => Promise<unknown>) => {
            void work().then((changed) => announced(ctx, changed as Changed | null), (err) => this.logger.warn({ err, method }, "payments: a webhook's confirmation failed; reconciliation will settle it"));
          };
          const { result, changed } = await receiveWebhook(settlement, method, delivery, later);
          announced(ctx, changed);
          return result;
        }),
      },

      /** Internal: a payment as the API shows it (not the db mixin's, which would carry the provider's secrets), or null. */
      byId: {
        visibility: "public",
        handler: validated(S.ById, async function (ctx) {
          const tx = await current(store, ctx.params.id);
          return tx && transactionToWire(tx);
        }),
      },

      /** Internal, for the scheduler: pending payments due a check verified, stale ones expired. */
      reconcile: {
        visibility: "public",
        handler: validated(S.Reconcile, async function (ctx) {
          return reconcile(settlement, (changed) => announced(ctx, changed));
        }),
      },
    },
    async started() {
      await Promise.all(Object.values(store).map((model) => model.createIndexes()));
    },
  };
}
