/**
 * The comparison page, one block per pair (the first variant A against each other variant B, as
 * compare paired them): a summary table with a forest plot per metric (B − A, the 95% interval the
 * verdict used, Holm-adjusted p, effect size, seeds to decide), each
 * metric's per-seed values (drawn by client/comparison-page.js), and the seeds where the variants
 * differ most with the commands that reproduce them.
 */
import type { ComparisonMetricView, ComparisonPairView, ComparisonReportData } from "./comparison-data.ts";
import { formatScaled, type MetricScale } from "../model/metric-scale.ts";
import { forestSvg } from "./forest-svg.ts";
import { escapeHtml, formatNumber, htmlPage } from "./html-page.ts";

const verdictColour = { "B better": "#0072B2", "A better": "#D55E00", "no clear difference": "#555555" } as const;

export function renderComparisonReportHtml(data: ComparisonReportData): string {
  const r = data.result;
  return htmlPage({
    title: `kubetwin compare — ${r.scenario}: ${r.variants.join(" vs ")}`,
    bodyHtml: body(data),
    data: { variants: r.variants, seeds: r.seeds, metrics: r.metrics, pairs: data.pairs.map((p) => ({ idPrefix: p.idPrefix, variants: p.result.variants, scales: p.metrics.map((m) => m.scale) })) },
    pageScript: "comparison-page.js",
  });
}

function body(d: ComparisonReportData): string {
  const r = d.result;
  const a = r.variants[0] as string;
  const others = r.variants.slice(1);
  const bText = others.length === 1 ? `B = <b>${escapeHtml(others[0] as string)}</b>` : `B = each of ${others.map((b) => `<b>${escapeHtml(b)}</b>`).join(", ")} in turn`;
  const pairsNav = d.pairs.length === 1 ? "" : `<nav class="pairs">Pairs: ${d.pairs.map((p) => `<a href="#${p.idPrefix}summary">${escapeHtml(p.result.variants[1] as string)} − ${escapeHtml(a)}</a>`).join(" · ")}</nav>`;
  return `
<header class="page-head">
  <h1>${escapeHtml(r.scenario)} <span class="sub">comparison</span></h1>
  <p class="desc">A = <b>${escapeHtml(a)}</b>, ${bText}; differences are B − A, paired by seed (every variant of a seed sees the same world), ${escapeHtml(rulesText(r))}</p>
  <dl class="facts">
    <div><dt>scenario file</dt><dd class="mono">${escapeHtml(r.scenarioFile)}</dd></div>
    <div><dt>variants</dt><dd>${r.variants.length}</dd></div>
    <div><dt>seeds</dt><dd>${r.seeds.length} (${escapeHtml(seedList(r.seeds))})</dd></div>
    <div><dt>metrics</dt><dd>${r.metrics.length}</dd></div>
    ${d.comparisonId === null ? "" : `<div><dt>comparison id</dt><dd>${d.comparisonId}</dd></div>`}
  </dl>
  ${pairsNav}
</header>
<main>
${d.pairs.map((p) => pairSections(p, d.pairs.length > 1)).join("\n")}
<section><h2>Runs</h2>
<table class="grid" id="runs"><thead><tr><th>variant</th><th class="num">seed</th><th>fingerprint</th><th class="num">run id</th></tr></thead>
<tbody>${r.runs
    .map((run) => `<tr><td>${escapeHtml(run.variant)}</td><td class="num">${run.seed}</td><td class="mono">${escapeHtml(run.fingerprint)}</td><td class="num">${run.runId ?? "–"}</td></tr>`)
    .join("")}</tbody></table>
</section>
</main>
<footer class="muted">kubetwin · every run is reproducible with the command shown: same scenario, seed and variant give the same fingerprint</footer>`;
}

/** One pair's summary table and its per-metric sections; ids carry the pair's prefix. */
function pairSections(p: ComparisonPairView, named: boolean): string {
  const [a, b] = p.result.variants as [string, string];
  const heading = named ? `Summary: ${escapeHtml(b)} − ${escapeHtml(a)}` : "Summary";
  return `<section><h2>${heading}</h2>
<table class="grid" id="${p.idPrefix}summary"><thead><tr><th>metric</th><th>better</th><th class="num">mean A</th><th class="num">mean B</th><th class="num nowrap">B − A</th><th class="num">95% interval</th><th class="num">n</th><th>forest</th><th>verdict</th><th>interval</th><th class="num">adj. p</th><th class="num">d</th><th class="num">seeds to decide</th></tr></thead>
<tbody>${p.metrics.map((m, i) => summaryRow(m, `${p.idPrefix}${i}`, [a, b])).join("\n")}</tbody></table>
</section>
${p.metrics.map((m, i) => metricSection(p, m, i, named)).join("\n")}`;
}

function rulesText(r: ComparisonReportData["result"]): string {
  const s = r.statistics;
  if (s === undefined) return "with 95% t-intervals.";
  return `with 95% intervals (t, or bootstrap where the differences are clearly non-normal); verdicts at Holm-adjusted p < ${s.alpha} over ${s.family} (${s.size} comparisons); seeds to decide at ${s.precision}.`;
}

/** The cells compare's statistics add: which interval, adjusted p, effect size, seeds to decide. */
function statsCells(m: ComparisonMetricView["metric"]): string {
  const d = m.diff;
  if (d.interval === undefined) return `<td class="muted">t</td><td class="num">–</td><td class="num">–</td><td class="num">–</td>`;
  return `<td>${d.interval}</td><td class="num" data-value="${d.pAdjusted}">${formatNumber(d.pAdjusted)}</td><td class="num" data-value="${d.effectSize}">${formatNumber(d.effectSize)}</td><td class="num">${d.seedsToDecide === null || d.seedsToDecide === undefined ? "–" : `about ${d.seedsToDecide}`}</td>`;
}

function statsSentence(m: ComparisonMetricView["metric"]): string {
  const d = m.diff;
  if (d.interval === undefined || d.t === undefined || d.bootstrap === undefined || d.wilcoxon === undefined) return "";
  const why = d.nonNormal ? ` (differences clearly non-normal: ${escapeHtml(d.nonNormal)})` : "";
  const seeds = d.seedsToDecide === null || d.seedsToDecide === undefined ? "" : ` Run about ${d.seedsToDecide} seeds to decide.`;
  return `<p class="muted">Shown: the ${d.interval} interval${why}. t interval [${formatNumber(d.t.low)}, ${formatNumber(d.t.high)}], t-test p ${formatNumber(d.t.p)}; bootstrap interval [${formatNumber(d.bootstrap.low)}, ${formatNumber(d.bootstrap.high)}] (${d.bootstrap.resamples} resamples); Wilcoxon signed-rank p ${formatNumber(d.wilcoxon.p)}. Deciding test: ${d.test === "wilcoxon" ? "Wilcoxon" : "t"}, p ${formatNumber(d.p)}, Holm-adjusted ${formatNumber(d.pAdjusted)}; effect size d = ${formatNumber(d.effectSize)}.${seeds}</p>`;
}

function seedList(seeds: number[]): string {
  return seeds.length <= 12 ? seeds.join(", ") : `${seeds.slice(0, 10).join(", ")}, … ${seeds[seeds.length - 1]}`;
}

function unitSuffix(scale: MetricScale): string {
  return scale.unit === "" ? "" : scale.unit === "%" ? "%" : ` ${scale.unit}`;
}

/** The metric's name (a link), shortened with an ellipsis (the full name in a tooltip), and its shown unit. */
function metricTitle(name: string, href: string, scale: MetricScale): string {
  return `<a href="${href}" class="clip" title="${escapeHtml(name)}">${escapeHtml(name)}</a>${scale.unit ? ` <span class="muted">(${escapeHtml(scale.unit)})</span>` : ""}`;
}

/**
 * A reproduce command that breaks lines only between its words, never inside a flag or between a
 * flag and its value; a long path may also break after a "/" (never at its hyphens).
 */
export function commandHtml(command: string): string {
  const words = command.split(" ");
  const groups: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const next = words[i + 1];
    if (w.startsWith("--") && next !== undefined && !next.startsWith("--")) {
      groups.push(`<span class="w">${escapeHtml(`${w} ${next}`)}</span>`);
      i++;
    } else if (w.includes("/") && !w.startsWith("-")) {
      groups.push(w.split(/(?<=\/)/).map((part) => `<span class="w">${escapeHtml(part)}</span>`).join("<wbr>"));
    } else groups.push(`<span class="w">${escapeHtml(w)}</span>`);
  }
  return `<code class="cmd">${groups.join(" ")}</code>`;
}

function verdictCell(v: ComparisonMetricView["verdict"]): string {
  const cls = v === "B better" ? "verdict-b" : v === "A better" ? "verdict-a" : "muted";
  return `<span class="${cls}">${v}</span>`;
}

function summaryRow(view: ComparisonMetricView, id: string, [a, b]: [string, string]): string {
  const m = view.metric;
  const f = (v: number) => formatScaled(v, view.scale);
  return `<tr data-metric="${escapeHtml(m.name)}"><td class="name">${metricTitle(m.name, `#metric-${id}`, view.scale)}</td><td>${m.better}</td>
<td class="num" data-value="${m.mean[a]}">${f(m.mean[a] as number)}</td><td class="num" data-value="${m.mean[b]}">${f(m.mean[b] as number)}</td>
<td class="num" data-value="${m.diff.mean}">${f(m.diff.mean)}</td><td class="num">[${f(m.diff.ciLow)}, ${f(m.diff.ciHigh)}]</td><td class="num">${m.diff.n}</td>
<td>${forestSvg(forestInterval(view), verdictColour[view.verdict])}</td><td>${verdictCell(view.verdict)}</td>${statsCells(m)}</tr>`;
}

/** The forest plot's input: the paired difference and its interval, in the metric's shown unit. */
function forestInterval(view: ComparisonMetricView) {
  const { diff, name, better } = view.metric;
  const k = view.scale.factor;
  const significant = diff.verdict === "better" || diff.verdict === "worse";
  const stats = diff.pAdjusted === undefined ? {} : { stats: { interval: diff.interval === "bootstrap" ? "bootstrap" : "t", pAdjusted: diff.pAdjusted, significant } as const };
  return { label: `${name}: B − A`, unit: view.scale.unit, better, mean: diff.mean * k, low: diff.ciLow * k, high: diff.ciHigh * k, ...stats };
}

function metricSection(p: ComparisonPairView, view: ComparisonMetricView, i: number, named: boolean): string {
  const m = view.metric;
  const [a, b] = p.result.variants as [string, string];
  const id = `${p.idPrefix}${i}`;
  const pairNote = named ? ` <span class="sub muted">${escapeHtml(b)} − ${escapeHtml(a)}</span>` : "";
  const f = (v: number) => formatScaled(v, view.scale);
  const u = unitSuffix(view.scale);
  const rows = view.topSeeds
    .map(
      (s) => `<tr class="nums"><td class="num">${s.seed}</td><td class="num">${f(s.a)}</td><td class="num">${f(s.b)}</td><td class="num">${f(s.diff)}</td></tr>
<tr class="cmds"><td colspan="4">${commandHtml(s.commandA)}${commandHtml(s.commandB)}</td></tr>`,
    )
    .join("");
  const unitNote = view.scale.unit ? `${escapeHtml(view.scale.unit)}, ` : "";
  return `<section class="cmp-metric" id="metric-${id}"><h2><span class="clip" title="${escapeHtml(m.name)}">${escapeHtml(m.name)}</span> <span class="sub muted">(${unitNote}${m.better} is better)</span>${pairNote}</h2>
<p>B − A = <b>${f(m.diff.mean)}${escapeHtml(u)}</b>, 95% ${m.diff.interval ?? "t"} interval [${f(m.diff.ciLow)}, ${f(m.diff.ciHigh)}]${escapeHtml(u)} over ${m.diff.n} seeds: ${verdictCell(view.verdict)}.</p>
${statsSentence(m)}
<div class="cmp-grid"><div class="charts" id="cmp-chart-${id}"></div>
<div><h3 class="muted">Seeds where <span class="clip" title="${escapeHtml(a)}">${escapeHtml(a)}</span> and <span class="clip" title="${escapeHtml(b)}">${escapeHtml(b)}</span> differ most, with the commands that reproduce A, then B</h3>
${rows ? `<table class="grid top-seeds"><thead><tr><th class="num">seed</th><th class="num">A${view.scale.unit ? ` (${escapeHtml(view.scale.unit)})` : ""}</th><th class="num">B</th><th class="num nowrap">B − A</th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="muted">The variants agree on every seed.</p>`}
</div></div></section>`;
}
