// GET /api/analytics/reports/: the PDF of a period and scope, read back with pdf.js: it
// holds the period, the scope, the tables with the office's numbers and the hour chart;
// bad input and other organisations are refused in the one error shape.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { aCitizen, anAdministeredOrganization, aPlatformAdmin, type Session } from "../support/fixtures.ts";
import { get } from "../support/http.ts";
import { system } from "../support/system.ts";
import { anOfficeMorning } from "./office-morning.ts";

const REPORTS = "/api/analytics/reports/";
/** The colour report-pdf.ts draws the chart's bars in. */
const BAR_COLOUR = "#1f6feb";
const today = () => new Date().toISOString().slice(0, 10);
const as = (who: Session) => ({ token: who.access });
/** pdf.js's metrics of the standard fonts (Helvetica…) the reports use, from its package. */
const standardFontDataUrl = join(dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts") + "/";

interface Pdf {
  status: number;
  type: string | null;
  disposition: string | null;
  /** Each page's text items, in reading order. */
  pages: string[][];
  /** How many shapes the pages fill in the chart's bar colour. */
  bars: number;
}

async function aPdf(path: string, who: Session): Promise<Pdf> {
  const res = await fetch(`${system().baseUrl}${path}`, { headers: { authorization: `Bearer ${who.access}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const pdf = await getDocument({ data: bytes, standardFontDataUrl, isEvalSupported: false }).promise;
  const pages: string[][] = [];
  let bars = 0;
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const text = await page.getTextContent();
    pages.push(text.items.map((item) => ("str" in item ? item.str : "")).filter((s) => s.trim() !== ""));
    const ops = await page.getOperatorList();
    let colour = "";
    ops.fnArray.forEach((fn, i) => {
      if (fn === OPS.setFillRGBColor) colour = String(ops.argsArray[i][0]);
      if (fn === OPS.constructPath && ops.argsArray[i][0] === OPS.fill && colour === BAR_COLOUR) bars++;
    });
  }
  await pdf.destroy();
  return { status: res.status, type: res.headers.get("content-type"), disposition: res.headers.get("content-disposition"), pages, bars };
}

/** The cell right after a row's label in the text of the pages. */
function valueAfter(pdf: Pdf, label: string): string | undefined {
  const items = pdf.pages.flat();
  const i = items.indexOf(label);
  return i < 0 ? undefined : items[i + 1];
}

describe("/api/analytics/reports/", function () {
  let office: Awaited<ReturnType<typeof anOfficeMorning>>;
  let other: { org: { id: string; name: string }; admin: Session };
  let busyHours: number;
  const period = () => `date_from=${today()}&date_to=${today()}`;

  before(async function () {
    this.timeout(60_000);
    [office, other] = await Promise.all([anOfficeMorning(), anAdministeredOrganization()]);
    // The report reads the rollups, written behind the queue's events: wait for the last one.
    const stats = await eventually(() => get(`/api/analytics/queue-stats/?queue_id=${office.queue.id}`, as(office.admin)), (r) => r.body?.totals?.cancelled === 1);
    busyHours = Object.keys(stats.body.totals.issued_by_hour).length;
  });

  it("makes a PDF of the organisation's period holding its period, scope, tables, numbers and hour chart", async () => {
    const pdf = await aPdf(`${REPORTS}?${period()}`, office.admin);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.type, "application/pdf");
    assert.match(pdf.disposition ?? "", /attachment; filename="rapport-organization-/);
    const text = pdf.pages.flat();
    assert.ok(text.includes(`Période : du ${today()} au ${today()} (UTC)`), text.join(" | "));
    assert.ok(text.includes(`Périmètre : Organisation ${office.org.name}`), text.join(" | "));
    for (const [label, value] of [["Tickets émis", "3"], ["Tickets appelés", "2"], ["Tickets servis", "1"], ["Absents (no-show)", "1"], ["Annulés", "1"], ["Taux d'absence", "33,3 %"], ["Servis dans l'objectif d'attente", "1 (100,0 %)"], ["Rendez-vous pris / honorés / manqués / annulés", "0 / 0 / 0 / 0"]]) {
      assert.equal(valueAfter(pdf, label!), value, label);
    }
    for (const title of ["Synthèse", "Tickets émis par heure (UTC)", "Par jour", "Canaux", "Abandons par place dans la file", "Par file", "Par guichet", "Par agent"]) assert.ok(text.includes(title), title);
    const abandoned = text.indexOf("Tickets annulés en attente");
    assert.deepEqual(text.slice(abandoned + 1, abandoned + 3), ["1", "1"], "one ticket left from the first place");
    // The day's row and the channel's: 3 issued, 2 called, 1 served, 1 no-show, 1 cancelled; all 3 by mobile.
    const day = text.indexOf(today());
    assert.deepEqual(text.slice(day + 1, day + 6), ["3", "2", "1", "1", "1"]);
    assert.deepEqual(text.slice(text.indexOf("mobile"), text.indexOf("mobile") + 3), ["mobile", "3", "100,0 %"]);
    assert.equal(valueAfter(pdf, office.agent.user.id), "2", "the agent called two tickets");
    assert.equal(pdf.bars, busyHours, "the chart draws a bar for each hour tickets were issued in");
  });

  it("makes the report of one queue or counter, naming it", async () => {
    const queue = await aPdf(`${REPORTS}?${period()}&queue_id=${office.queue.id}`, office.agent);
    assert.ok(queue.pages.flat().includes(`Périmètre : File ${office.queue.name} (${office.org.name})`), queue.pages.flat().join(" | "));
    assert.equal(valueAfter(queue, "Tickets émis"), "3");
    const counter = await aPdf(`${REPORTS}?${period()}&queue_id=${office.queue.id}&counter_id=${office.counters[0]}`, office.admin);
    assert.ok(counter.pages.flat().includes(`Périmètre : Guichet ${office.counters[0]} — file ${office.queue.name} (${office.org.name})`));
    assert.deepEqual([valueAfter(counter, "Tickets émis"), valueAfter(counter, "Tickets appelés")], ["0", "2"]);
  });

  it("gives another organisation's admin their own empty report, and their own only", async () => {
    const own = await aPdf(`${REPORTS}?${period()}`, other.admin);
    assert.ok(own.pages.flat().includes(`Périmètre : Organisation ${other.org.name}`));
    assert.equal(valueAfter(own, "Tickets émis"), "0");
    assertError(await get(`${REPORTS}?${period()}&organization_id=${office.org.id}`, as(other.admin)), 404, "not_found");
    assertError(await get(`${REPORTS}?${period()}&queue_id=${office.queue.id}`, as(other.admin)), 404, "not_found");
  });

  it("lets the platform admin have any organisation's report, naming it", async () => {
    const admin = await aPlatformAdmin();
    const pdf = await aPdf(`${REPORTS}?${period()}&organization_id=${office.org.id}`, admin);
    assert.equal(valueAfter(pdf, "Tickets servis"), "1");
    assertInvalidField(await get(`${REPORTS}?${period()}`, as(admin)), "query.organization_id");
  });

  it("refuses citizens, anonymous callers and bad input naming the field", async () => {
    assertError(await get(`${REPORTS}?${period()}`, as(await aCitizen())), 403, "forbidden");
    assertError(await get(`${REPORTS}?${period()}`), 401, "not_authenticated");
    const by = as(office.admin);
    assertInvalidField(await get(`${REPORTS}?date_to=${today()}`, by), "query.date_from");
    assertInvalidField(await get(`${REPORTS}?date_from=2026-12-02&date_to=2026-12-01`, by), "query.date_to");
    assertInvalidField(await get(`${REPORTS}?date_from=2026-01-01&date_to=2026-12-01`, by), "query.date_to");
    assertInvalidField(await get(`${REPORTS}?${period()}&format=docx`, by), "query");
    assertInvalidField(await get(`${REPORTS}?${period()}&counter_id=c1`, by), "query.queue_id");
  });
});
