/**
 * Files inlined into every report: uPlot (script and styles), our page scripts and styles. Read
 * once per process, relative to the installed packages, never fetched by the page.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);
const cache = new Map<string, string>();

function readCached(key: string, resolvePath: () => string): string {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const text = readFileSync(resolvePath(), "utf8");
  cache.set(key, text);
  return text;
}

export function uplotScript(): string {
  return readCached("uplot.js", () => requireHere.resolve("uplot/dist/uPlot.iife.min.js"));
}

export function uplotCss(): string {
  return readCached("uplot.css", () => requireHere.resolve("uplot/dist/uPlot.min.css"));
}

/** A file from src/report/client (plain browser JavaScript or CSS). */
export function clientAsset(fileName: string): string {
  return readCached(`client/${fileName}`, () => new URL(`./client/${fileName}`, import.meta.url).pathname);
}
