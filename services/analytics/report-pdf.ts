// A report as a PDF (pdfkit), in French first like the offices it is for: the period and
// the scope, a summary table (with the share served within target, the ratings and, for
// an organisation or a branch, its appointments), a chart of the tickets issued by hour,
// the figures day by day, the channels, abandonment by place in line, and the scope's
// queues, counters and agents. The document is a stream: the gateway pipes its bytes out
// as pdfkit writes them. Standard fonts only (Helvetica covers French accents), so
// nothing is read from disk but pdfkit's own metrics.
import PDFDocument from "pdfkit";
import type { summary } from "./rollup.ts";

type Shown = ReturnType<typeof summary>;
type Ratings = { count: number; mean: number | null };
type Appointments = { booked: number; cancelled: number; checked_in: number; no_show: number };

export interface ReportContent {
  /** What the report covers, e.g. "Agence Plateau (Banque X)". */
  scope_label: string;
  date_from: string;
  date_to: string;
  totals: Shown & { ratings?: Ratings; appointments?: Appointments };
  days: Array<{ start: string } & Shown>;
  by_queue: Array<{ queue_id: string | null } & Shown>;
  by_counter: Array<{ queue_id: string | null; counter_id: string | null } & Shown>;
  by_agent: Array<{ agent_id: string | null } & Shown>;
  generated_at: Date;
}

const MARGIN = 40;
/** Wide enough for a 24-character id on one line. */
const ID_WIDTH = 140;
const CHART_HEIGHT = 140;
const BAR_COLOUR = "#1f6feb";

const minutes = (ms: number | null) => (ms === null ? "–" : `${(ms / 60_000).toFixed(1).replace(".", ",")} min`);
const percent = (rate: number | null) => (rate === null ? "–" : `${(rate * 100).toFixed(1).replace(".", ",")} %`);

function heading(doc: PDFKit.PDFDocument, text: string): void {
  if (doc.y > doc.page.height - 160) doc.addPage();
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).fillColor("black").text(text, MARGIN).moveDown(0.3).font("Helvetica").fontSize(9);
}

/** A table with a header row; its first `idColumns` columns hold ids and are kept on one line. */
function table(doc: PDFKit.PDFDocument, header: string[], rows: Array<Array<string | number>>, idColumns = 0): void {
  const head = header.map((text) => ({ text, type: "TH" as const, font: { family: "Helvetica-Bold" }, backgroundColor: "#e8eef7" }));
  const columnStyles = (column: number) => (column < idColumns ? { width: ID_WIDTH } : undefined);
  doc.table({ position: { x: MARGIN }, columnStyles, data: [head, ...rows.map((r) => r.map(String))] });
}

/** Bars of the tickets issued in each UTC hour of the period, with the counts above them. */
function hourChart(doc: PDFKit.PDFDocument, byHour: Record<string, number>): void {
  const width = doc.page.width - 2 * MARGIN;
  if (doc.y + CHART_HEIGHT + 30 > doc.page.height - MARGIN) doc.addPage();
  const top = doc.y + 10;
  const base = top + CHART_HEIGHT;
  const max = Math.max(1, ...Object.values(byHour));
  const slot = width / 24;
  doc.save().lineWidth(0.5).strokeColor("#888").moveTo(MARGIN, base).lineTo(MARGIN + width, base).stroke().restore();
  for (let h = 0; h < 24; h++) {
    const hour = String(h).padStart(2, "0");
    const n = byHour[hour] ?? 0;
    const x = MARGIN + h * slot;
    const height = (n / max) * (CHART_HEIGHT - 14);
    if (n > 0) {
      doc.rect(x + 2, base - height, slot - 4, height).fill(BAR_COLOUR);
      doc.fillColor("black").fontSize(7).text(String(n), x, base - height - 9, { width: slot, align: "center" });
    }
    doc.fillColor("black").fontSize(7).text(hour, x, base + 3, { width: slot, align: "center" });
  }
  doc.x = MARGIN;
  doc.y = base + 16;
}

/** The report as a PDF stream; `end()` has been called, so it finishes once read. */
export function reportPdf(report: ReportContent): PDFKit.PDFDocument {
  const period = `du ${report.date_from} au ${report.date_to} (UTC)`;
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, info: { Title: `Rapport d'activité — ${report.scope_label} — ${period}`, Author: "SmartQueue" } });
  const t = report.totals;

  doc.font("Helvetica-Bold").fontSize(18).text("Rapport d'activité");
  doc.font("Helvetica").fontSize(11).moveDown(0.3);
  doc.text(`Périmètre : ${report.scope_label}`);
  doc.text(`Période : ${period}`);
  doc.fontSize(8).fillColor("#555").text(`Établi le ${report.generated_at.toISOString()} à partir des statistiques comptées une fois par événement de file.`).fillColor("black");

  heading(doc, "Synthèse");
  table(doc, ["Indicateur", "Valeur"], [
    ["Tickets émis", t.issued],
    ["Tickets appelés", t.called],
    ["Tickets servis", t.served],
    ["Absents (no-show)", t.no_show],
    ["Annulés", t.cancelled],
    ["Transférés (sortants / entrants)", `${t.transferred_out} / ${t.transferred_in}`],
    ["Expirés", t.expired],
    ["Taux d'absence", percent(t.no_show_rate)],
    ["Servis dans l'objectif d'attente", `${t.served_within_target} (${percent(t.served_within_target_share)})`],
    ["Attente moyenne / médiane / 90e centile", `${minutes(t.wait.mean_ms)} / ${minutes(t.wait.median_ms)} / ${minutes(t.wait.p90_ms)}`],
    ["Service moyen / médian / 90e centile", `${minutes(t.service.mean_ms)} / ${minutes(t.service.median_ms)} / ${minutes(t.service.p90_ms)}`],
    ["Heure de pointe (UTC)", t.peak_hour === null ? "–" : `${t.peak_hour} h`],
    ...(t.ratings ? [["Satisfaction (moyenne sur 5, avis)", t.ratings.mean === null ? "–" : `${t.ratings.mean.toFixed(2).replace(".", ",")} (${t.ratings.count})`]] : []),
    ...(t.appointments ? [["Rendez-vous pris / honorés / manqués / annulés", `${t.appointments.booked} / ${t.appointments.checked_in} / ${t.appointments.no_show} / ${t.appointments.cancelled}`]] : []),
  ]);

  heading(doc, "Tickets émis par heure (UTC)");
  hourChart(doc, t.issued_by_hour);

  heading(doc, "Par jour");
  table(doc, ["Jour", "Émis", "Appelés", "Servis", "Absents", "Annulés", "Attente médiane", "Service médian"],
    report.days.map((d) => [d.start, d.issued, d.called, d.served, d.no_show, d.cancelled, minutes(d.wait.median_ms), minutes(d.service.median_ms)]));

  heading(doc, "Canaux");
  const channels = Object.entries(t.channels).sort(([a], [b]) => a.localeCompare(b));
  table(doc, ["Canal", "Tickets", "Part"], channels.length ? channels.map(([c, n]) => [c, n, percent(t.issued ? n / t.issued : null)]) : [["–", 0, "–"]]);

  heading(doc, "Abandons par place dans la file");
  const abandoned = Object.entries(t.abandoned_by_position).sort(([a], [b]) => parseInt(a) - parseInt(b));
  table(doc, ["Place", "Tickets annulés en attente"], abandoned.length ? abandoned : [["–", 0]]);

  const members: Array<[string, string[], Array<Array<string | number>>, number]> = [
    ["Par file", ["File", "Émis", "Servis", "Absents", "Attente médiane"], report.by_queue.map((q) => [q.queue_id ?? "–", q.issued, q.served, q.no_show, minutes(q.wait.median_ms)]), 1],
    ["Par guichet", ["File", "Guichet", "Appelés", "Servis", "Service médian"], report.by_counter.map((c) => [c.queue_id ?? "–", c.counter_id ?? "–", c.called, c.served, minutes(c.service.median_ms)]), 2],
    ["Par agent", ["Agent", "Appelés", "Servis", "Absents", "Service médian"], report.by_agent.map((a) => [a.agent_id ?? "–", a.called, a.served, a.no_show, minutes(a.service.median_ms)]), 1],
  ];
  for (const [title, header, rows, idColumns] of members) {
    if (!rows.length) continue;
    heading(doc, title);
    table(doc, header, rows, idColumns);
  }
  doc.end();
  return doc;
}
