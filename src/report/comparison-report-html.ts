/**
 * The comparison page: a summary table with a forest plot per metric (B − A, 95% interval), each
 * metric's per-seed values (drawn by client/comparison-page.js), and the seeds where the variants
 * differ most with the commands that reproduce them.
 */
import { pairOf, shapeComparisonReport, type ComparisonMetricView, type ComparisonReportData } from "./comparison-data.ts";
import { forestSvg } from "./forest-svg.ts";
import { escapeHtml, formatNumber, htmlPage } from "./html-page.ts";

const verdictColour = { "B better": "#0072B2", "A better": "#D55E00", "no clear difference": "#555555" } as const;

/** One pair (the first variant against another) and the prefix of its element ids ("" for the first pair). */
interface PairView {
  prefix: string;
  data: ComparisonReportData;
}

/** Three or more variants: one summary and one set of metric sections per pair, each against the first. */
function pairViews(data: ComparisonReportData): PairView[] {
  if (data.result.variants.length === 2) return [{ prefix: "", data }];
  return data.result.variants.slice(1).map((b, k) => ({ prefix: k === 0 ? "" : `p${k}-`, data: shapeComparisonReport(pairOf(data.result, b), data.comparisonId) }));
}

export function renderComparisonReportHtml(data: ComparisonReportData): string {
  const r = data.result;
  const pairs = pairViews(data);
  return htmlPage({
    title: `kubetwin compare — ${r.scenario}: ${r.variants.join(" vs ")}`,
    bodyHtml: body(data, pairs),
    data: { variants: r.variants, seeds: r.seeds, metrics: r.metrics, pairs: pairs.map((p) => ({ prefix: p.prefix, variants: p.data.result.variants, metrics: p.data.result.metrics })) },
    pageScript: "comparison-page.js",
  });
}

function body(d: ComparisonReportData, pairs: PairView[]): string {
  const r = d.result;
  const [a, ...others] = r.variants as [string, ...string[]];
  const many = others.length > 1;
  const bText = many ? `B = each of ${others.map((v) => `<b>${escapeHtml(v)}</b>`).join(", ")} in turn` : `B = <b>${escapeHtml(others[0] as string)}</b>`;
  return `
<header class="page-head">
  <h1>${escapeHtml(r.scenario)} <span class="sub">comparison</span></h1>
  <p class="desc">A = <b>${escapeHtml(a)}</b>, ${bText}; differences are B − A, paired by seed (both variants of a seed see the same world), with 95% t-intervals.</p>
  <dl class="facts">
    <div><dt>scenario file</dt><dd class="mono">${escapeHtml(r.scenarioFile)}</dd></div>
    <div><dt>seeds</dt><dd>${r.seeds.length} (${escapeHtml(seedList(r.seeds))})</dd></div>
    <div><dt>metrics</dt><dd>${r.metrics.length}</dd></div>
    ${d.comparisonId === null ? "" : `<div><dt>comparison id</dt><dd>${d.comparisonId}</dd></div>`}
  </dl>
</header>
<main>
${pairs.map((p) => pairSections(p, many)).join("\n")}
<section><h2>Runs</h2>
<table class="grid" id="runs"><thead><tr><th>variant</th><th class="num">seed</th><th>fingerprint</th><th class="num">run id</th></tr></thead>
<tbody>${r.runs
    .map((run) => `<tr><td>${escapeHtml(run.variant)}</td><td class="num">${run.seed}</td><td class="mono">${escapeHtml(run.fingerprint)}</td><td class="num">${run.runId ?? "–"}</td></tr>`)
    .join("")}</tbody></table>
</section>
</main>
<footer class="muted">kubetwin · every run is reproducible with the command shown: same scenario, seed and variant give the same fingerprint</footer>`;
}

function pairSections(p: PairView, titled: boolean): string {
  const d = p.data;
  const [a, b] = d.result.variants as [string, string];
  return `<section><h2>Summary${titled ? `: ${escapeHtml(b)} − ${escapeHtml(a)}` : ""}</h2>
<table class="grid" id="${p.prefix}summary"><thead><tr><th>metric</th><th>better</th><th class="num">mean A</th><th class="num">mean B</th><th class="num">B − A</th><th class="num">95% CI</th><th class="num">n</th><th>forest</th><th>verdict</th></tr></thead>
<tbody>${d.metrics.map((m, i) => summaryRow(m, i, [a, b], p.prefix)).join("\n")}</tbody></table>
</section>
${d.metrics.map((m, i) => metricSection(d, m, i, p.prefix)).join("\n")}`;
}

function seedList(seeds: number[]): string {
  return seeds.length <= 12 ? seeds.join(", ") : `${seeds.slice(0, 10).join(", ")}, … ${seeds[seeds.length - 1]}`;
}

function unitSuffix(unit: string): string {
  return unit ? ` ${unit}` : "";
}

function verdictCell(v: ComparisonMetricView["verdict"]): string {
  const cls = v === "B better" ? "verdict-b" : v === "A better" ? "verdict-a" : "muted";
  return `<span class="${cls}">${v}</span>`;
}

function summaryRow(view: ComparisonMetricView, i: number, [a, b]: [string, string], prefix: string): string {
  const m = view.metric;
  return `<tr data-metric="${escapeHtml(m.name)}"><td><a href="#metric-${prefix}${i}">${escapeHtml(m.name)}</a>${m.unit ? ` <span class="muted">(${escapeHtml(m.unit)})</span>` : ""}</td><td>${m.better}</td>
<td class="num" data-value="${m.mean[a]}">${formatNumber(m.mean[a])}</td><td class="num" data-value="${m.mean[b]}">${formatNumber(m.mean[b])}</td>
<td class="num" data-value="${m.diff.mean}">${formatNumber(m.diff.mean)}</td><td class="num">[${formatNumber(m.diff.ciLow)}, ${formatNumber(m.diff.ciHigh)}]</td><td class="num">${m.diff.n}</td>
<td>${forestSvg(m, verdictColour[view.verdict])}</td><td>${verdictCell(view.verdict)}</td></tr>`;
}

function metricSection(d: ComparisonReportData, view: ComparisonMetricView, i: number, prefix: string): string {
  const m = view.metric;
  const [a, b] = d.result.variants as [string, string];
  const rows = view.topSeeds
    .map(
      (s) => `<tr><td class="num">${s.seed}</td><td class="num">${formatNumber(s.a)}</td><td class="num">${formatNumber(s.b)}</td><td class="num">${formatNumber(s.diff)}</td>
<td><code class="cmd">${escapeHtml(s.commandA)}</code><code class="cmd">${escapeHtml(s.commandB)}</code></td></tr>`,
    )
    .join("");
  return `<section class="cmp-metric" id="metric-${prefix}${i}"><h2>${escapeHtml(m.name)}${prefix ? ` <span class="sub">${escapeHtml(b)} − ${escapeHtml(a)}</span>` : ""}${m.unit ? ` <span class="sub muted">(${escapeHtml(m.unit)}, ${m.better} is better)</span>` : ` <span class="sub muted">(${m.better} is better)</span>`}</h2>
<p>B − A = <b>${formatNumber(m.diff.mean)}${escapeHtml(unitSuffix(m.unit))}</b>, 95% CI [${formatNumber(m.diff.ciLow)}, ${formatNumber(m.diff.ciHigh)}] over ${m.diff.n} seeds: ${verdictCell(view.verdict)}.</p>
<div class="cmp-grid"><div class="charts" id="cmp-chart-${prefix}${i}"></div>
<div><h3 class="muted">Seeds where ${escapeHtml(a)} and ${escapeHtml(b)} differ most</h3>
${rows ? `<table class="grid top-seeds"><thead><tr><th class="num">seed</th><th class="num">A</th><th class="num">B</th><th class="num">B − A</th><th>reproduce (A, then B)</th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="muted">The variants agree on every seed.</p>`}
</div></div></section>`;
}
