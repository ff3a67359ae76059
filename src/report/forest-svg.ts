/**
 * A one-row forest plot as inline SVG: an interval (low, high) with its mean, zero, and a numeric
 * axis with ticks in the metric's shown unit. Rendered here (not in the page) so its geometry is
 * plain data a test can read. What the interval is (which difference, which confidence) is the
 * caller's business; when the caller gives the statistics, the mean's marker is filled only when
 * the difference is significant after the Holm adjustment (hollow otherwise) and the interval's
 * kind (t or bootstrap) and the adjusted p-value are printed.
 */
import { escapeHtml, formatNumber } from "./html-page.ts";

const widthPx = 300;
const heightPx = 66;
const padPx = 16;
const intervalY = 18;
const axisY = 34;

/** One interval to draw, in the unit it is shown in. */
export interface ForestInterval {
  /** For the accessible label, e.g. "p99 time to ready: B − A". */
  label: string;
  unit: string;
  better: "lower" | "higher";
  mean: number;
  low: number;
  high: number;
  /** Which interval the verdict used, its Holm-adjusted p-value, and whether that is significant. */
  stats?: { interval: "t" | "bootstrap"; pAdjusted: number; significant: boolean };
}

export interface ForestScale {
  lo: number;
  hi: number;
  toPx: (v: number) => number;
  /** Round values inside [lo, hi] to label the axis with (3 to 6 of them, zero among them when in range). */
  ticks: number[];
}

/** A range holding zero and the interval, with a margin, mapped onto the plot's width. */
export function forestScale(low: number, high: number): ForestScale {
  let lo = Math.min(0, low);
  let hi = Math.max(0, high);
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  return { lo, hi, toPx: (v) => padPx + ((v - lo) / (hi - lo)) * (widthPx - 2 * padPx), ticks: niceTicks(lo, hi) };
}

/** Ticks at a 1-2-5 step, 3 to 6 of them over [lo, hi]. */
export function niceTicks(lo: number, hi: number): number[] {
  const rough = (hi - lo) / 5;
  const decade = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * decade).find((s) => s >= rough) ?? 10 * decade) as number;
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step); i * step <= hi; i++) ticks.push(Number((i * step).toPrecision(12)) + 0); // + 0: no "-0"
  return ticks;
}

export function forestSvg(interval: ForestInterval, colour: string): string {
  const { mean, low, high } = interval;
  const st = interval.stats;
  const filled = st === undefined || st.significant;
  const s = forestScale(low, high);
  const x0 = s.toPx(0);
  const betterSide = interval.better === "lower" ? "← B better" : "B better →";
  const betterX = interval.better === "lower" ? padPx : widthPx - padPx;
  const anchor = interval.better === "lower" ? "start" : "end";
  const unit = interval.unit ? ` ${interval.unit}` : "";
  const ticks = s.ticks
    .map((t) => {
      const x = s.toPx(t);
      const text = formatNumber(t);
      // a label that would stick out of the plot is aligned to its tick from the inside
      const halfPx = text.length * 3.3;
      const tickAnchor = x - halfPx < 1 ? "start" : x + halfPx > widthPx - 1 ? "end" : "middle";
      const tx = tickAnchor === "start" ? Math.max(1, x - 3) : tickAnchor === "end" ? Math.min(widthPx - 1, x + 3) : x;
      return `<line x1="${x}" y1="${axisY}" x2="${x}" y2="${axisY + 4}" stroke="#999" stroke-width="1"/><text class="tick" x="${tx}" y="${axisY + 14}" text-anchor="${tickAnchor}" fill="#555">${escapeHtml(text)}</text>`;
    })
    .join("");
  return `<svg class="forest" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" role="img" aria-label="${escapeHtml(
    `${interval.label} = ${formatNumber(mean)}${unit}, ${st ? `95% ${st.interval} ` : ""}interval ${formatNumber(low)} to ${formatNumber(high)}${unit}${st ? `, Holm-adjusted p ${formatNumber(st.pAdjusted)}${st.significant ? " (significant)" : ""}` : ""}`,
  )}" data-ci-low="${low}" data-ci-high="${high}" data-mean="${mean}"${st ? ` data-interval="${st.interval}" data-p-adjusted="${st.pAdjusted}" data-significant="${st.significant}"` : ""}>
<line x1="${padPx}" y1="${axisY}" x2="${widthPx - padPx}" y2="${axisY}" stroke="#999" stroke-width="1"/>
${ticks}
<line class="zero" x1="${x0}" y1="4" x2="${x0}" y2="${axisY}" stroke="#222" stroke-dasharray="3 3" stroke-width="1"/>
<line class="ci" x1="${s.toPx(low)}" y1="${intervalY}" x2="${s.toPx(high)}" y2="${intervalY}" stroke="${colour}" stroke-width="3"/>
<line x1="${s.toPx(low)}" y1="${intervalY - 6}" x2="${s.toPx(low)}" y2="${intervalY + 6}" stroke="${colour}" stroke-width="2"/>
<line x1="${s.toPx(high)}" y1="${intervalY - 6}" x2="${s.toPx(high)}" y2="${intervalY + 6}" stroke="${colour}" stroke-width="2"/>
<rect class="mean" x="${s.toPx(mean) - 5}" y="${intervalY - 5}" width="10" height="10" fill="${filled ? colour : "#fff"}" stroke="${filled ? "#fff" : colour}" stroke-width="${filled ? 1 : 2}"/>
${st ? `<text class="p-adjusted" x="${widthPx - padPx}" y="9" text-anchor="end" fill="#555">${st.interval} · adj. p ${escapeHtml(formatNumber(st.pAdjusted))}${st.significant ? " *" : ""}</text>` : ""}
<text x="${betterX}" y="${heightPx - 3}" text-anchor="${anchor}" fill="#555">${betterSide}</text>
${interval.unit ? `<text class="unit" x="${widthPx - betterX}" y="${heightPx - 3}" text-anchor="${anchor === "start" ? "end" : "start"}" fill="#555">${escapeHtml(interval.unit)}</text>` : ""}
</svg>`;
}
