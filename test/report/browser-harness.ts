/**
 * Headless Chromium for report tests and the bench (the one harness both use): the browser
 * findChromium picks (KUBETWIN_CHROMIUM, the system's, or the one bundled in the devDependency
 * @sparticuz/chromium) driven by puppeteer-core, a fresh profile, no network. Every request other
 * than the report file itself is recorded and aborted; console errors and page errors are collected.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { findChromium } from "./find-chromium.ts";

export interface BrowserSession {
  browser: Browser;
  /** Which Chromium runs, e.g. "system" or "@sparticuz/chromium 153.0.0". */
  source: string;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<BrowserSession> {
  const chromium = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), "kubetwin-profile-"));
  const browser = await puppeteer
    .launch({
      executablePath: chromium.executablePath,
      // a POSIX locale (LANG=C.UTF-8) makes navigator.language "en-US@posix", which Intl (and so
      // uPlot) refuses; --lang does not override it, the environment does
      env: { ...process.env, ...chromium.env, LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8" },
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
    })
    .catch((e: unknown) => {
      rmSync(profile, { recursive: true, force: true });
      throw new Error(`Chromium (${chromium.source}, ${chromium.executablePath}) did not start: ${e instanceof Error ? e.message : String(e)}`);
    });
  return {
    browser,
    source: chromium.source,
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
