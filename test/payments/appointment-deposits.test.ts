// An appointment of a service that asks a deposit waits for its payment: paid, it is
// booked; failed, it is cancelled and its place given back.
import assert from "node:assert/strict";
import { EVERY_DAY, MONDAY_2030, slotAt, slotPath } from "../appointments/appointment-fixtures.ts";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { get, post } from "../support/http.ts";
import { withAPaymentNode } from "./payment-node.ts";

describe("payments: appointment deposits", function () {
  this.timeout(60_000);
  const t = withAPaymentNode({ PAYMENT_VERIFY_BACKOFF_SECONDS: "3600" });
  let service: { id: string };
  before(async function () {
    this.timeout(60_000);
    const branch = await t.sut.created("/api/business/branches/", { organization_id: t.office.org.id, name: "Agence Médina" }, t.office.admin);
    service = await t.sut.created("/api/business/services/", {
      organization_id: t.office.org.id, branch_id: branch.id, name_fr: "Consultation", name_en: "Consultation", expected_duration_minutes: 30,
      appointments_enabled: true, slot_minutes: 60, slot_capacity: 1, booking_cutoff_minutes: 0, opening_hours: EVERY_DAY, deposit_xof: 3000,
    }, t.office.admin);
    await t.sut.node.node.broker.call("appointments.generateSlots", { service_id: service.id, from: MONDAY_2030, days: 1 }, { timeout: 60_000 });
  });

  const book = async (hour: string) => {
    const reply = await post("/api/appointments/appointments/", { slot_id: slotAt(service, `2030-01-07T${hour}:00:00.000Z`) }, t.sut.as(t.citizen));
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body as { id: string; status: string; slot_id: string };
  };
  const payDeposit = async (appointmentId: string) => {
    const reply = await t.sut.pay(t.citizen, { service_id: service.id, appointment_id: appointmentId, method: "wave", amount: 3000, phone: "+221771234567" });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body as { id: string; appointment_id: string };
  };
  const appointment = (id: string) => get(`/api/appointments/appointments/${id}/`, t.sut.as(t.citizen));

  it("holds the place of an appointment booked with a deposit until it is paid, then books it", async () => {
    const booked = await book("09");
    assert.equal(booked.status, "awaiting_payment");
    assertError(await post(`/api/appointments/appointments/${booked.id}/check-in/`, {}, t.sut.as(t.office.agent)), 409, "appointment_not_booked");
    const payment = await payDeposit(booked.id);
    assert.equal(payment.appointment_id, booked.id);
    t.sut.wave.pay(payment.id);
    assert.equal((await t.sut.deliver(t.sut.wave.webhook(payment.id))).status, 200);
    await eventually(() => appointment(booked.id), (r) => r.body.status === "booked");
  });

  it("cancels an appointment whose deposit failed and gives its place back", async () => {
    const booked = await book("10");
    assert.equal((await get(slotPath(booked.slot_id), t.sut.as(t.citizen))).body.remaining, 0);
    const payment = await payDeposit(booked.id);
    assert.equal((await t.sut.deliver(t.sut.wave.webhook(payment.id, { type: "checkout.session.payment_failed" }))).status, 200);
    await eventually(() => appointment(booked.id), (r) => r.body.status === "cancelled");
    await eventually(() => get(slotPath(booked.slot_id), t.sut.as(t.citizen)), (r) => r.body.remaining === 1);
    // Analytics counts it cancelled today (it counted its booking too).
    const behavior = await eventually(() => get("/api/analytics/user-behavior/", t.sut.as(t.office.admin)), (r) => r.status === 200 && r.body.appointments.cancelled === 1);
    assert.equal(behavior.body.appointments.checked_in, 0);
  });

  it("takes only the service's deposit, for the payer's own appointment that awaits it", async () => {
    const booked = await book("11");
    const base = { service_id: service.id, appointment_id: booked.id, method: "wave", phone: "+221771234567" };
    assertInvalidField(await t.sut.pay(t.citizen, { ...base, amount: 2500 }), "body.amount");
    const stranger = await t.sut.aCitizen();
    assertInvalidField(await t.sut.pay(stranger, { ...base, amount: 3000 }), "body.appointment_id");
    assertInvalidField(await t.sut.pay(t.citizen, { ...base, amount: 3000, appointment_id: "0123456789abcdef01234567" }), "body.appointment_id");
  });

  it("gives back the place of an appointment still unpaid when its slot starts", async () => {
    const booked = await book("12");
    const swept = await t.sut.node.node.broker.call<{ unpaid_released: number }, object>("appointments.sweep", { now: "2030-01-07T12:00:30.000Z" });
    assert.ok(swept.unpaid_released >= 1); // with the 11:00 one of the test before
    assert.equal((await appointment(booked.id)).body.status, "cancelled");
    assert.equal((await get(slotPath(booked.slot_id), t.sut.as(t.citizen))).body.remaining, 1);
  });
});
