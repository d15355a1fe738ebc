// The rating page a served citizen's link opens, in a browser, without an account: a score
// and a comment sent once; the same link again, or a broken one, says so.
import assert from "node:assert/strict";
import { aServedTicket, tokenOf, type ServedTicket } from "../analytics/served-ticket.ts";
import { get, post } from "../support/http.ts";
import { aRunningQueue, type QueueSetup } from "../support/queues.ts";
import { aPage, sharedBrowser } from "./browser.ts";
import { LOADED_MS, SIZES } from "./page-steps.ts";

describe("the rating page (/rate/)", function () {
  this.timeout(60_000);
  const browser = sharedBrowser();
  let setup: QueueSetup;
  let served: ServedTicket;

  before(async () => {
    setup = await aRunningQueue(1);
    served = await aServedTicket(setup);
  });

  const opened = async (link: string) => {
    const { page } = await aPage(browser(), SIZES.tracker);
    await page.goto(link);
    return page;
  };

  it("sends the citizen's score and comment from the served message's link, once", async () => {
    const page = await opened(served.link);
    await page.click('#scores button[data-score="4"]');
    await page.fill("#comment", "Accueil aimable");
    await page.click("#send");
    await page.waitForSelector('#status[data-state="rated"]', { timeout: LOADED_MS });
    assert.equal(await page.textContent("#status"), "Merci pour votre note !");
    const stats = await get(`/api/analytics/queue-stats/?queue_id=${setup.queue.id}`, { token: setup.admin.access });
    assert.deepEqual(stats.body.totals.ratings, { count: 1, mean: 4, by_score: { "4": 1 } });
    const again = await post("/api/analytics/ratings/link/", { ticket_id: served.ticket.id, token: tokenOf(served.link), rating: 1 });
    assert.equal(again.status, 409);
  });

  it("says a visit was rated already, and that a broken link is not valid", async () => {
    const twice = await opened(served.link);
    await twice.click('#scores button[data-score="2"]');
    await twice.click("#send");
    await twice.waitForSelector('#status[data-state="ended"]', { timeout: LOADED_MS });
    assert.equal(await twice.textContent("#status"), "Ce passage a déjà été noté.");
    const broken = await opened(`${served.link.slice(0, served.link.indexOf("#"))}#nonsense`);
    await broken.waitForSelector('#status[data-state="ended"]', { timeout: LOADED_MS });
    assert.equal(await broken.textContent("#status"), "Ce lien de notation n'est pas valable.");
  });
});
