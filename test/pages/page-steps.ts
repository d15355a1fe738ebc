// What the page tests do on the pages as a person would: sign in to the console and set
// it to a counter, read the kiosk's QR code back from its pixels.
import type { Page } from "playwright-core";
import jsqr from "jsqr";
import { PASSWORD, type Session } from "../support/fixtures.ts";

/** A failure bound for what only waits on this machine (page loads, polls, fixtures). */
export const LOADED_MS = 20_000;

export const SIZES = {
  display: { width: 1920, height: 1080 },
  agent: { width: 1366, height: 768 },
  kiosk: { width: 1080, height: 1920 },
  tracker: { width: 390, height: 844 },
};

export async function signIn(page: Page, who: Session): Promise<void> {
  await page.fill("#phone", who.user.phone);
  await page.fill("#password", PASSWORD);
  await page.click("#login button[type=submit]");
}

export async function signedInConsole(page: Page, agent: Session, queueName: string, counterName: string): Promise<void> {
  await page.goto("/agent/");
  await signIn(page, agent);
  await page.waitForSelector("#setup:not([hidden]) #counter option", { state: "attached", timeout: LOADED_MS });
  await page.selectOption("#queue", { label: queueName });
  await page.waitForFunction((name) => [...document.querySelectorAll("#counter option")].some((o) => o.textContent === name), counterName, { timeout: LOADED_MS });
  await page.selectOption("#counter", { label: counterName });
  await page.click("#setup button[type=submit]");
  await page.waitForSelector("#waiting-count[data-waiting]", { timeout: LOADED_MS });
}

/** What the QR code drawn on this canvas says, decoded from its pixels as a phone would. */
export async function qrText(page: Page, canvas: string): Promise<string | null> {
  const image = await page.$eval(canvas, (element) => {
    const c = element as HTMLCanvasElement;
    return { width: c.width, height: c.height, pixels: Array.from(c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data) };
  });
  return jsqr.default(Uint8ClampedArray.from(image.pixels), image.width, image.height)?.data ?? null;
}
