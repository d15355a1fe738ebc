// The office pages in a real browser: Debian's Chromium driven by playwright-core, one
// browser per test file, headless, without sandbox (tests run as root) and without any
// background traffic (these machines have no internet). The pages' scripts are built once
// per run, as `npm start` builds them, so what is tested is what is served.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { system } from "../support/system.ts";

let built = false;

function buildPages(): void {
  if (built) return;
  execFileSync(process.execPath, ["scripts/build-pages.mjs"], { stdio: "inherit" });
  built = true;
}

function chromiumPath(): string {
  return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
}

async function aBrowser(): Promise<Browser> {
  buildPages();
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-sync",
      "--disable-domain-reliability",
      "--disable-breakpad",
      "--no-first-run",
      "--no-default-browser-check",
      "--metrics-recording-only",
      "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
      "--disable-dev-shm-usage",
      // The display chimes without anyone touching it, as a TV in kiosk mode does.
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

/** One browser for the describe block it is called in (launched before, closed after). */
export function sharedBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await aBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/** A page of its own (own storage) at the given window size, on the run's node. */
export async function aPage(browser: Browser, size: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: size, baseURL: system().baseUrl, locale: "fr-FR" });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error("page error:", err.message));
  return { context, page };
}

export const screenshotPath = (name: string) => path.join("docs", "screenshots", `${name}.png`);
