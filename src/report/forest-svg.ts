/**
 * A one-row forest plot as inline SVG: the paired difference B − A, the 95% interval the verdict
 * used (t, or bootstrap when the differences were clearly non-normal) and zero. The mean's marker
 * is filled when the difference is significant after the Holm adjustment, hollow when it is not,
 * and the adjusted p-value is printed. Rendered here (not in the page) so its geometry is plain
 * data a test can read.
 */
import type { ComparisonMetric } from "./comparison-result.ts";
import { escapeHtml, formatNumber } from "./html-page.ts";

const widthPx = 300;
const heightPx = 58;
const padPx = 14;

export interface ForestScale {
  lo: number;
  hi: number;
  toPx: (v: number) => number;
}

/** A range holding zero and the interval, with a margin, mapped onto the plot's width. */
export function forestScale(ciLow: number, ciHigh: number): ForestScale {
  let lo = Math.min(0, ciLow);
  let hi = Math.max(0, ciHigh);
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  return { lo, hi, toPx: (v) => padPx + ((v - lo) / (hi - lo)) * (widthPx - 2 * padPx) };
}

/** "t" / "bootstrap" for results that say which interval they show; older results held t-intervals. */
function intervalName(metric: ComparisonMetric): string {
  return metric.diff.interval === "bootstrap" ? "bootstrap" : "t";
}

export function forestSvg(metric: ComparisonMetric, colour: string): string {
  const { mean, ciLow, ciHigh, pAdjusted, verdict } = metric.diff;
  const significant = verdict === "better" || verdict === "worse";
  const adjusted = pAdjusted === undefined ? "" : `, Holm-adjusted p ${formatNumber(pAdjusted)}${significant ? " (significant)" : ""}`;
  const stats = pAdjusted === undefined ? "" : ` data-interval="${intervalName(metric)}" data-p-adjusted="${pAdjusted}" data-significant="${significant}"`;
  const s = forestScale(ciLow, ciHigh);
  const y = 20;
  const x0 = s.toPx(0);
  const betterSide = metric.better === "lower" ? "← B better" : "B better →";
  const betterX = metric.better === "lower" ? padPx : widthPx - padPx;
  const anchor = metric.better === "lower" ? "start" : "end";
  return `<svg class="forest" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" role="img" aria-label="${escapeHtml(
    `${metric.name}: B − A = ${formatNumber(mean)}, 95% ${intervalName(metric)} interval ${formatNumber(ciLow)} to ${formatNumber(ciHigh)}${adjusted}`,
  )}" data-ci-low="${ciLow}" data-ci-high="${ciHigh}" data-mean="${mean}"${stats}>
<line x1="${padPx}" y1="${y + 14}" x2="${widthPx - padPx}" y2="${y + 14}" stroke="#999" stroke-width="1"/>
<line x1="${x0}" y1="4" x2="${x0}" y2="${y + 18}" stroke="#222" stroke-dasharray="3 3" stroke-width="1"/>
<text x="${x0 + 3}" y="9" text-anchor="start" fill="#555">0</text>
<line class="ci" x1="${s.toPx(ciLow)}" y1="${y}" x2="${s.toPx(ciHigh)}" y2="${y}" stroke="${colour}" stroke-width="3"/>
<line x1="${s.toPx(ciLow)}" y1="${y - 6}" x2="${s.toPx(ciLow)}" y2="${y + 6}" stroke="${colour}" stroke-width="2"/>
<line x1="${s.toPx(ciHigh)}" y1="${y - 6}" x2="${s.toPx(ciHigh)}" y2="${y + 6}" stroke="${colour}" stroke-width="2"/>
<rect class="mean" x="${s.toPx(mean) - 5}" y="${y - 5}" width="10" height="10" fill="${significant || pAdjusted === undefined ? colour : "#fff"}" stroke="${significant || pAdjusted === undefined ? "#fff" : colour}" stroke-width="${significant || pAdjusted === undefined ? 1 : 2}"/>
${pAdjusted === undefined ? "" : `<text class="p-adjusted" x="${widthPx - padPx}" y="9" text-anchor="end" fill="#555">${intervalName(metric)} · adj. p ${escapeHtml(formatNumber(pAdjusted))}${significant ? " *" : ""}</text>`}
<text x="${betterX}" y="${heightPx - 3}" text-anchor="${anchor}" fill="#555">${betterSide}</text>
</svg>`;
}
