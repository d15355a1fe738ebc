// The display and the agent console together, in a real browser against a real node: a
// call made in the console reaches the screen, which says it; the screen survives the
// live server's restart; a revoked screen closes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import liveService from "../../services/live/live.service.ts";
import { aBranchQueue, aDisplayToken } from "../live/live-fixtures.ts";
import { assertError } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { del, get, post, put } from "../support/http.ts";
import { aCounter, aQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";
import { aPage, screenshotPath, sharedBrowser } from "./browser.ts";
import { LOADED_MS, signedInConsole, SIZES } from "./page-steps.ts";

const DISPLAY = SIZES.display;
const AGENT = SIZES.agent;

const counterShows = (page: Page, counterId: string, number: string, timeout = LOADED_MS) =>
  page.waitForFunction(([id, n]) => document.querySelector(`[data-counter="${id}"] .number`)?.textContent === n, [counterId, number], { timeout });

/** 50 ms of silence, a WAV file any browser plays. */
function aSilentWav(): Buffer {
  const samples = 400;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write("RIFF", 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write("WAVEfmt ", 8);
  wav.writeUInt32LE(16, 16); // format chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(8000, 24); // samples per second
  wav.writeUInt32LE(16000, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per sample
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write("data", 36);
  wav.writeUInt32LE(samples * 2, 40);
  return wav;
}

describe("/display/ and /agent/ in a browser", function () {
  this.timeout(180_000); // a failure bound for a busy machine: these run in about 5-20 s each
  const browser = sharedBrowser();

  it("shows a call made in the agent console within 1 s, with its announcement, on a screen of its branch's two queues", async () => {
    const office = await aBranchQueue();
    const other = await aQueue(office.admin, office.org.id, { branch_id: office.branch.id, name: "Conseil", prefix: "B" });
    await aCounter(office.admin, other.id, "Guichet 2");
    for (let i = 0; i < 3; i++) await aTicket(office.admin, office.queue.id);
    await aTicket(office.admin, other.id);
    const screen = await aPage(browser(), DISPLAY);
    const console_ = await aPage(browser(), AGENT);
    await screen.page.goto(`/display/?token=${office.display.token}`); // every queue of its branch
    await screen.page.waitForSelector(`[data-queue-id="${other.id}"] [data-waiting="1"]`, { timeout: LOADED_MS });
    await screen.page.waitForSelector(`[data-queue-id="${office.queue.id}"] [data-waiting="3"]`, { timeout: LOADED_MS });
    await signedInConsole(console_.page, office.agent, "Caisse", "Guichet 1");

    // By keyboard, as an agent works: N calls the next ticket.
    const answered = console_.page.waitForResponse((r) => r.url().includes("/call-next/"));
    await console_.page.keyboard.press("n");
    assert.equal((await answered).status(), 200);
    await counterShows(screen.page, office.counter, "A-001", 1_000);
    await screen.page.waitForFunction(() => document.getElementById("announcement")?.textContent !== "", null, { timeout: LOADED_MS });
    assert.equal(await screen.page.textContent("#announcement"), "Ticket A 1, Guichet 1");
    assert.equal(await screen.page.textContent("#last-calls li .number"), "A-001");
    await screen.page.waitForSelector(`[data-queue-id="${office.queue.id}"] [data-waiting="2"]`, { timeout: LOADED_MS });
    await console_.page.waitForFunction(() => document.getElementById("current")?.textContent === "A-001", null, { timeout: LOADED_MS });

    // Started and completed, then a second call for the screenshots.
    await console_.page.keyboard.press("s");
    await console_.page.waitForSelector('#current[data-status="serving"]', { timeout: LOADED_MS });
    await console_.page.click("#action-complete");
    await console_.page.waitForSelector('#current[data-status="none"]', { timeout: LOADED_MS });
    await console_.page.click("#action-call-next");
    await counterShows(screen.page, office.counter, "A-002");
    await console_.page.waitForFunction(() => document.getElementById("current")?.textContent === "A-002", null, { timeout: LOADED_MS });
    await screen.page.screenshot({ path: screenshotPath("display") });
    await console_.page.screenshot({ path: screenshotPath("agent") });
    await Promise.all([screen.context.close(), console_.context.close()]);
  });

  it("shows a queue added to its branch, and takes off one closed down, within 5 minutes, without a reload", async () => {
    const office = await aBranchQueue();
    const { context, page } = await aPage(browser(), DISPLAY);
    await page.clock.install();
    await page.goto(`/display/?token=${office.display.token}`);
    await page.waitForSelector(`[data-queue-id="${office.queue.id}"] [data-waiting="0"]`, { timeout: LOADED_MS });
    const added = await aQueue(office.admin, office.org.id, { branch_id: office.branch.id, name: "Conseil", prefix: "B" });
    assert.equal((await put(`/api/queues/queues/${office.queue.id}/`, { is_active: false }, { token: office.admin.access })).status, 200);
    await page.clock.fastForward("05:01");
    await page.waitForSelector(`[data-queue-id="${added.id}"] [data-waiting="0"]`, { timeout: LOADED_MS });
    assert.equal(await page.$(`[data-queue-id="${office.queue.id}"]`), null);
    await context.close();
  });

  it("tells an agent's refusals in words: an empty queue, a busy counter", async () => {
    const office = await aBranchQueue();
    const page = await aPage(browser(), AGENT);
    await signedInConsole(page.page, office.agent, "Caisse", "Guichet 1");
    await page.page.click("#action-call-next");
    await page.page.waitForSelector('#message[data-code="queue_empty"]', { timeout: LOADED_MS });
    assert.equal(await page.page.textContent("#message"), "Personne n'attend dans cette file.");
    await aTicket(office.admin, office.queue.id);
    await aTicket(office.admin, office.queue.id);
    await page.page.click("#action-call-next");
    await page.page.waitForFunction(() => document.getElementById("current")?.textContent === "A-001", null, { timeout: LOADED_MS });
    await page.page.click("#action-call-next");
    await page.page.waitForSelector('#message[data-code="counter_busy"]', { timeout: LOADED_MS });
    assert.match((await page.page.textContent("#message"))!, /déjà un ticket/);
    await page.context.close();
  });

  it("works the counter by key: O closes and opens it, N calls, R recalls, A marks a no-show, X transfers, P pauses", async () => {
    const office = await aBranchQueue();
    const queue = await aQueue(office.admin, office.org.id, { branch_id: office.branch.id, name: "Retraits", prefix: "R", policy: { max_recalls: 1 } });
    await aCounter(office.admin, queue.id, "Guichet 4");
    const [first, second] = [await aTicket(office.admin, queue.id), await aTicket(office.admin, queue.id)];
    const { context, page } = await aPage(browser(), AGENT);
    await signedInConsole(page, office.agent, "Retraits", "Guichet 4");
    const as = { token: office.agent.access };
    const where = (text: string) => page.waitForFunction((t) => document.getElementById("where")!.textContent!.includes(t), text, { timeout: LOADED_MS });
    const refused = async (key: string, code: string) => {
      await page.keyboard.press(key);
      await page.waitForSelector(`#message[data-code="${code}"]`, { timeout: LOADED_MS });
    };
    const current = (text: string) => page.waitForFunction((t) => document.getElementById("current")!.textContent === t, text, { timeout: LOADED_MS });

    await page.keyboard.press("o");
    await where("Guichet fermé");
    await refused("n", "counter_closed");
    await page.keyboard.press("o");
    await where("Guichet ouvert");
    await page.keyboard.press("n");
    await current("R-001");
    await refused("a", "recalls_remaining");
    await page.keyboard.press("r");
    await eventually(() => get(`/api/queues/tickets/${first.id}/`, as), (r) => r.body.recalls === 1);
    await page.keyboard.press("a");
    await current("Aucun");
    assert.equal((await get(`/api/queues/tickets/${first.id}/`, as)).body.status, "no_show");
    await page.keyboard.press("n");
    await current("R-002");
    await page.selectOption("#transfer-to", { label: "Caisse" });
    await page.keyboard.press("x");
    await current("Aucun");
    await eventually(() => get(`/api/queues/tickets/${second.id}/`, as), (r) => r.body.queue_id === office.queue.id && r.body.status === "waiting");
    await page.keyboard.press("p");
    await where("En pause");
    await refused("n", "queue_paused");
    await page.keyboard.press("p");
    await page.waitForFunction(() => !document.getElementById("where")!.textContent!.includes("En pause"), null, { timeout: LOADED_MS });
    await context.close();
  });

  it("says a call with the clips an operator recorded for a language (CALL_CLIPS_DIR), on &voice=", async () => {
    const lang = `t${randomBytes(6).toString("hex").replace(/\d/g, "x").slice(0, 6)}`;
    const dir = path.resolve(system().config.callClipsDir, lang);
    mkdirSync(dir, { recursive: true });
    try {
      const clips = { ticket: "ticket.wav", counter: "guichet.wav", letters: { A: "a.wav" }, numbers: Object.fromEntries([..."0123456789"].map((d) => [d, `${d}.wav`])) };
      for (const name of ["ticket.wav", "guichet.wav", "a.wav", ...Object.values(clips.numbers)]) writeFileSync(path.join(dir, name), aSilentWav());
      writeFileSync(path.join(dir, "clips.json"), JSON.stringify(clips));
      const office = await aBranchQueue();
      await aTicket(office.admin, office.queue.id);
      const { context, page } = await aPage(browser(), DISPLAY);
      await page.goto(`/display/?token=${office.display.token}&voice=${lang}`);
      await page.waitForSelector('[data-waiting="1"]', { timeout: LOADED_MS });
      assert.equal((await post(`/api/queues/queues/${office.queue.id}/call-next/`, { counter_id: office.counter }, { token: office.agent.access })).status, 200);
      await page.waitForSelector('#announcement[data-played-clips="1"]', { timeout: LOADED_MS });
      const played = (await page.getAttribute("#announcement", "data-clips"))!.split(" ").map((url) => url.split("/").pop());
      assert.deepEqual(played, ["ticket.wav", "a.wav", "1.wav", "guichet.wav", "1.wav"]);
      assert.equal(await page.textContent("#announcement"), "Ticket A 1, Guichet 1");
      // A counter named without a number: no clip says it, the French voice does.
      const welcome = await aCounter(office.admin, office.queue.id, "Accueil");
      await aTicket(office.admin, office.queue.id);
      assert.equal((await post(`/api/queues/queues/${office.queue.id}/call-next/`, { counter_id: welcome }, { token: office.agent.access })).status, 200);
      await page.waitForSelector('#announcement[data-count="2"]', { timeout: LOADED_MS });
      assert.equal(await page.textContent("#announcement"), "Ticket A 2, Accueil");
      assert.equal(await page.getAttribute("#announcement", "data-clips"), "");
      await context.close();
      assertError(await get(`/clips/${lang}/..%2F${lang}%2Fclips.json`), 404, "route_not_found");
      assertError(await get(`/clips/${lang}/nope.wav`), 404, "route_not_found");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("comes back by itself after the live server restarts, showing what happened meanwhile, without a reload", async () => {
    const office = await aBranchQueue();
    await aTicket(office.admin, office.queue.id);
    await aTicket(office.admin, office.queue.id);
    const { context, page } = await aPage(browser(), DISPLAY);
    await page.goto(`/display/?token=${office.display.token}&queues=${office.queue.id}`);
    await page.waitForSelector('[data-waiting="2"]', { timeout: LOADED_MS });
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));

    await whileLiveIsDown(async () => {
      await page.waitForFunction(() => document.getElementById("status")?.dataset.state !== "live", null, { timeout: LOADED_MS });
      const called = await post(`/api/queues/queues/${office.queue.id}/call-next/`, { counter_id: office.counter }, { token: office.agent.access });
      assert.equal(called.status, 200);
    });

    await counterShows(page, office.counter, "A-001");
    await page.waitForSelector('[data-waiting="1"]', { timeout: LOADED_MS });
    assert.equal(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce), true);
    await context.close();
  });

  it("closes a screen whose token was revoked while the live server was down", async () => {
    const office = await aBranchQueue();
    const { context, page } = await aPage(browser(), DISPLAY);
    await page.goto(`/display/?token=${office.display.token}`);
    await page.waitForSelector('[data-waiting="0"]', { timeout: LOADED_MS });
    await whileLiveIsDown(async () => {
      await page.waitForFunction(() => document.getElementById("status")?.dataset.state !== "live", null, { timeout: LOADED_MS });
      assert.equal((await del(`/api/accounts/display-tokens/${office.display.id}/`, { token: office.admin.access })).status, 204);
    });
    await page.waitForSelector('body[data-state="revoked"]', { timeout: LOADED_MS });
    assert.match((await page.textContent("#status"))!, /nouveau jeton/);
    await context.close();
  });

  it("closes a screen whose token is revoked, saying it needs a new one", async () => {
    const office = await aBranchQueue();
    const { context, page } = await aPage(browser(), DISPLAY);
    await page.goto(`/display/?token=${office.display.token}&queues=${office.queue.id}`);
    await page.waitForSelector('[data-waiting="0"]', { timeout: LOADED_MS });
    assert.equal((await del(`/api/accounts/display-tokens/${office.display.id}/`, { token: office.admin.access })).status, 204);
    await page.waitForSelector('body[data-state="revoked"]', { timeout: LOADED_MS });
    assert.match((await page.textContent("#status"))!, /nouveau jeton/);
    assert.equal(await page.isVisible("#queues"), false);
    // Switched on again with the revoked token, it says the same at once.
    await page.goto(`/display/?token=${office.display.token}`);
    await page.waitForSelector('body[data-state="revoked"]', { timeout: LOADED_MS });
    // A screen given a new token works again.
    const fresh = await aDisplayToken(office.admin, office.branch.id);
    await page.goto(`/display/?token=${fresh.token}&queues=${office.queue.id}`);
    await page.waitForSelector('[data-waiting="0"]', { timeout: LOADED_MS });
    await context.close();
  });
});

/** Runs `meanwhile` with the run's live service stopped, and starts it again whatever
 * happens: every later test of the run needs it. */
async function whileLiveIsDown(meanwhile: () => Promise<void>): Promise<void> {
  const { broker, db } = system().node;
  await broker.destroyService(broker.getLocalService("live")!);
  try {
    await meanwhile();
  } finally {
    broker.createService(liveService({ config: system().config, db, behind: db })); // started by the running broker
    await broker.waitForServices(["live"]);
  }
}
