/**
 * Headless Chromium for report tests and the bench: Debian's /usr/bin/chromium driven by
 * puppeteer-core, a fresh profile, no network. Every request other than the report file itself is
 * recorded and aborted; console errors and page errors are collected.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

export const chromiumPath = process.env.KUBETWIN_CHROMIUM ?? "/usr/bin/chromium";

export const chromiumMissingMessage =
  `Chromium not found at ${chromiumPath}. The report browser tests need it: ` +
  "install it with `apt-get update && apt-get install -y chromium` (or set KUBETWIN_CHROMIUM to a Chromium binary).";

export interface BrowserSession {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<BrowserSession> {
  if (!existsSync(chromiumPath)) throw new Error(chromiumMissingMessage);
  const profile = mkdtempSync(join(tmpdir(), "kubetwin-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedReport {
  page: Page;
  consoleErrors: string[];
  /** URLs the page tried to load besides the report itself (all aborted). */
  foreignRequests: string[];
  readyMs: number;
}

export async function openReport(session: BrowserSession, htmlPath: string, viewport = { width: 1366, height: 900 }): Promise<OpenedReport> {
  const page = await session.browser.newPage();
  await page.setViewport(viewport);
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const url = pathToFileURL(htmlPath).href;
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.setRequestInterception(true);
  page.on("request", (req) => {
    if (req.url() === url) void req.continue();
    else {
      foreignRequests.push(req.url());
      void req.abort();
    }
  });
  const started = performance.now();
  await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  await page.waitForFunction("window.__kubetwinReport && (window.__kubetwinReport.ready || window.__kubetwinReport.errors.length > 0)", {
    timeout: 60_000,
    polling: 20,
  });
  const readyMs = performance.now() - started;
  return { page, consoleErrors, foreignRequests, readyMs };
}
