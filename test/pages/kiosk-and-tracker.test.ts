// The kiosk and the tracker in a browser against a real node: a ticket taken at the
// kiosk shows in the agent console's queue, its printed QR code (decoded from the pixels)
// opens a tracker without an account, which moves as the agent calls tickets.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { aBranchQueue } from "../live/live-fixtures.ts";
import { anAgent, aPhone } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aQueue, aTicket } from "../support/queues.ts";
import { aPage, screenshotPath, sharedBrowser } from "./browser.ts";
import { LOADED_MS, qrText, signedInConsole, signIn, SIZES } from "./page-steps.ts";

const TRACKER_LINK = /^http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_-]{22}$/;

/** The kiosk at the door of the organisation's (only) branch, signed in on a staff account. */
async function aKiosk(browser: Browser, organizationId: string) {
  const kiosk = await aPage(browser, SIZES.kiosk);
  await kiosk.page.goto("/kiosk/?print=off");
  await signIn(kiosk.page, await anAgent(organizationId));
  await kiosk.page.waitForSelector("#setup:not([hidden]) #branch option", { state: "attached", timeout: LOADED_MS });
  await kiosk.page.click("#setup button[type=submit]");
  await kiosk.page.waitForSelector("#take:not([hidden]) #services button", { timeout: LOADED_MS });
  return kiosk;
}

/** A ticket taken at the kiosk, set to the office's branch, as a citizen would; answers its tracker link. */
async function aKioskTicket(kiosk: Page, service: string, priority = "normal", phone = ""): Promise<{ number: string; link: string }> {
  await kiosk.click(`#services button:text("${service}")`);
  await kiosk.click(`#priorities button[data-priority="${priority}"]`);
  await kiosk.fill("#sms-phone", phone);
  await kiosk.click("#take-ticket");
  await kiosk.waitForSelector("#ticket:not([hidden])", { timeout: LOADED_MS });
  const link = await qrText(kiosk, "#ticket-qr");
  assert.match(link ?? "", TRACKER_LINK);
  return { number: (await kiosk.textContent("#ticket-number"))!, link: link! };
}

/** The console calls the next ticket (this one), and serves it: S starts, T completes. */
async function callAndServe(page: Page, number: string): Promise<void> {
  await page.keyboard.press("n");
  await page.waitForFunction((n) => document.getElementById("current")?.textContent === n, number, { timeout: LOADED_MS });
  await page.keyboard.press("s");
  await page.waitForSelector('#current[data-status="serving"]', { timeout: LOADED_MS });
  await page.keyboard.press("t");
  await page.waitForSelector('#current[data-status="none"]', { timeout: LOADED_MS });
}

const position = (page: Page, place: number) => page.waitForSelector(`#position[data-position="${place}"]`, { timeout: LOADED_MS });

describe("/kiosk/ and /t/{code} in a browser", function () {
  this.timeout(180_000); // a failure bound for a busy machine: these run in about 5-20 s each
  const browser = sharedBrowser();

  it("prints a kiosk ticket that the console's queue shows, whose QR code opens a tracker that moves as tickets are called", async () => {
    const office = await aBranchQueue();
    await aTicket(office.admin, office.queue.id);
    await aTicket(office.admin, office.queue.id);
    const kiosk = await aKiosk(browser(), office.org.id);
    const phone = aPhone();
    const ticket = await aKioskTicket(kiosk.page, "Caisse", "normal", `${phone.slice(4, 6)} ${phone.slice(6, 9)} ${phone.slice(9, 11)} ${phone.slice(11)}`);
    assert.equal(ticket.number, "A-003");
    assert.equal(await kiosk.page.textContent("#ticket-sms"), `Lien envoyé par SMS au ${phone}`);
    const texts = await get(`/api/notifications/deliveries/?event=ticket.tracker&page_size=100`, { token: office.admin.access });
    assert.ok(texts.body.results.some((d: { recipient: string; text: string }) => d.recipient === phone && d.text.endsWith(ticket.link)), "the tracker link went by SMS");
    assert.match((await kiosk.page.textContent("#ticket-wait"))!, /^\d+ min$/);
    await kiosk.page.screenshot({ path: screenshotPath("kiosk") });
    // On paper: the ticket alone, 80 mm wide at most (the printer's paper), without its button.
    await kiosk.page.emulateMedia({ media: "print" });
    assert.equal(await kiosk.page.isVisible("#take"), false);
    assert.equal(await kiosk.page.isVisible("#new-ticket"), false);
    assert.equal(await kiosk.page.isVisible("#ticket-sms"), false, "no phone number on paper");
    const width = await kiosk.page.$eval("#ticket", (ticket) => ticket.getBoundingClientRect().width);
    assert.ok(width > 0 && width <= (80 * 96) / 25.4, `the printed ticket is ${width} px wide`);
    await kiosk.page.emulateMedia({ media: "screen" });

    const console_ = await aPage(browser(), SIZES.agent);
    await signedInConsole(console_.page, office.agent, "Caisse", "Guichet 1");
    await console_.page.waitForSelector('#next li[data-number="A-003"]', { timeout: LOADED_MS });

    const tracker = await aPage(browser(), SIZES.tracker);
    await tracker.page.goto(ticket.link);
    await position(tracker.page, 3);
    assert.equal(await tracker.page.textContent("#number"), "A-003");
    await tracker.page.waitForSelector('body[data-feed="live"]', { timeout: LOADED_MS }); // pushed, not asked for
    for (const [called, place] of [["A-001", 2], ["A-002", 1]] as const) {
      await callAndServe(console_.page, called);
      await position(tracker.page, place);
    }
    await console_.page.keyboard.press("n");
    await console_.page.waitForFunction(() => document.getElementById("current")?.textContent === "A-003", null, { timeout: LOADED_MS });
    await tracker.page.waitForSelector("#called:not([hidden])", { timeout: LOADED_MS });
    assert.equal(await tracker.page.textContent("#called"), "Vous êtes appelé au Guichet 1");
    await tracker.page.screenshot({ path: screenshotPath("tracker") });
    await Promise.all([kiosk.context.close(), console_.context.close(), tracker.context.close()]);
  });

  it("offers the priority classes the queue gives a head start, and a ticket taken in one goes ahead in the console's queue", async () => {
    const office = await aBranchQueue();
    const noHeadStart = { pregnant: 0, disabled: 0 };
    await aQueue(office.admin, office.org.id, { branch_id: office.branch.id, name: "Conseil", prefix: "C", policy: { head_start_minutes: noHeadStart } });
    await aTicket(office.admin, office.queue.id);
    const kiosk = await aKiosk(browser(), office.org.id);
    await kiosk.page.click('#services button:text("Caisse")');
    const offered = () => kiosk.page.$$eval("#priorities button", (buttons) => buttons.map((b) => b.getAttribute("data-priority")));
    assert.deepEqual(await offered(), ["normal", "elderly", "pregnant", "disabled"]);
    await kiosk.page.click('#services button:text("Conseil")');
    assert.deepEqual(await offered(), ["normal", "elderly"]);
    // A number that is not one: the ticket prints all the same, and says the SMS did not go.
    const ticket = await aKioskTicket(kiosk.page, "Caisse", "elderly", "12");
    assert.match((await kiosk.page.textContent("#message"))!, /SMS n'a pas pu être envoyé/);
    const console_ = await aPage(browser(), SIZES.agent);
    await signedInConsole(console_.page, office.agent, "Caisse", "Guichet 1");
    await console_.page.waitForSelector(`#next li:first-child[data-number="${ticket.number}"]`, { timeout: LOADED_MS });
    await Promise.all([kiosk.context.close(), console_.context.close()]);
  });

  it("lets the citizen leave the queue from the tracker, in English when asked", async () => {
    const office = await aBranchQueue();
    const { code } = (await post(`/api/queues/tickets/${(await aTicket(office.admin, office.queue.id, { channel: "kiosk" })).id}/tracker/`, undefined, { token: office.admin.access })).body;
    const tracker = await aPage(browser(), SIZES.tracker);
    tracker.page.on("dialog", (dialog) => void dialog.accept());
    await tracker.page.goto(`/t/${code}?lang=en`);
    await position(tracker.page, 1);
    assert.equal(await tracker.page.textContent("#leave"), "Leave the queue");
    await tracker.page.click("#leave");
    await tracker.page.waitForSelector("#ended:not([hidden])", { timeout: LOADED_MS });
    assert.equal(await tracker.page.textContent("#ended"), "You left the queue.");
    assert.equal(await tracker.page.isVisible("#leave"), false);
    assert.equal((await get(`/api/queues/queues/${office.queue.id}/status/`, { token: office.agent.access })).body.waiting_count, 0);
    await tracker.page.goto(`/t/${"Z".repeat(22)}`);
    await tracker.page.waitForSelector('#status[data-state="ended"]', { timeout: LOADED_MS });
    assert.equal(await tracker.page.textContent("#status"), "Ce lien de suivi n'est pas valable.");
    await tracker.context.close();
  });
});
