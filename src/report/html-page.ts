/**
 * One self-contained HTML page: styles, uPlot, page script and data all inline. Nothing is fetched;
 * the file opens from file:// with no network.
 */
import { formatSignificant } from "../model/metric-scale.ts";
import { clientAsset, uplotCss, uplotScript } from "./assets.ts";

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c] as string);
}

/** JSON safe inside a <script> element: no "</script>", no HTML comment openers, no U+2028/9. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Inline script text: only a literal "</script" could end it early. */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}

export interface PageParts {
  title: string;
  bodyHtml: string;
  data: unknown;
  /** Extra inline text blocks by element id (e.g. the base64 event blob). */
  textBlocks?: Record<string, string>;
  pageScript: string;
}

export function htmlPage(parts: PageParts): string {
  const blocks = Object.entries(parts.textBlocks ?? {})
    .map(([id, text]) => `<script id="${escapeHtml(id)}" type="text/plain">${scriptText(text)}</script>`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(parts.title)}</title>
<style>${uplotCss()}</style>
<style>${clientAsset("report.css")}</style>
</head>
<body>
${parts.bodyHtml}
<script id="report-data" type="application/json">${jsonForScript(parts.data)}</script>
${blocks}
<script>${scriptText(uplotScript())}</script>
<script>${scriptText(clientAsset("common.js"))}</script>
<script>${scriptText(clientAsset(parts.pageScript))}</script>
</body>
</html>
`;
}

export function formatVirtualMs(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(Math.round(ms));
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  const mm = String(m).padStart(2, "0");
  const ss = String(s).padStart(2, "0");
  const frac = milli === 0 ? "" : `.${String(milli).padStart(3, "0")}`;
  return `${sign}${h}:${mm}:${ss}${frac}`;
}

/** A number for people: integers as they are, others to 4 significant digits. */
export const formatNumber = formatSignificant;
