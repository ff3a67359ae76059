/**
 * The run report page: static header and tables rendered here; charts and the event table are drawn
 * by client/run-page.js from the inline data.
 */
import { formatScaled, metricScale } from "../model/metric-scale.ts";
import { escapeHtml, formatVirtualMs, htmlPage } from "./html-page.ts";
import type { DistributionStats } from "./percentiles.ts";
import type { SummaryTable } from "./healing-sections.ts";
import type { RunReportData } from "./run-data.ts";

export function renderRunReportHtml(data: RunReportData): string {
  const { events, healing: _tables, ...chartData } = data; // the tables are rendered here, not by the page script
  return htmlPage({
    title: `kubetwin run — ${data.header.scenario} (seed ${data.header.seed}, ${data.header.variant})`,
    bodyHtml: body(data),
    data: { ...chartData, events: { count: events.count, kinds: events.kinds, rawBytes: events.rawBytes, truncatedPayloads: events.truncatedPayloads } },
    textBlocks: { "event-blob": events.blobBase64 },
    pageScript: "run-page.js",
  });
}

function body(d: RunReportData): string {
  const h = d.header;
  const failed = h.expectations.filter((e) => !e.passed).length;
  return `
<header class="page-head">
  <h1>${escapeHtml(h.scenario)} <span class="sub">run report</span></h1>
  ${h.description ? `<p class="desc">${escapeHtml(h.description)}</p>` : ""}
  <dl class="facts">
    ${fact("seed", String(h.seed))}${fact("variant", h.variant)}${fact("virtual duration", formatVirtualMs(h.durationMs))}
    ${fact("status", h.status)}${fact("events", String(h.eventCount))}${fact("run id", String(h.runId))}
    ${fact("fingerprint", h.fingerprint || "–", "mono")}${fact("code", h.codeVersion || "–", "mono")}
    ${fact("expectations", h.expectations.length === 0 ? "none" : failed === 0 ? `all ${h.expectations.length} passed` : `${failed} of ${h.expectations.length} failed`, failed > 0 ? "bad" : "")}
  </dl>
</header>
<main>
${expectationsSection(d)}
<details class="params"><summary>Parameters and policies</summary><pre>${escapeHtml(JSON.stringify(h.parameters, null, 2) ?? "")}</pre></details>
${faultsSection(d)}
${d.healing.map(summaryTableSection).join("\n")}
<section><h2>Cluster</h2><div class="charts" id="cluster-charts"></div></section>
${d.workloadCharts.length > 0 ? gridSection("workloads", "Workloads: ready / desired", `${d.workloadCharts.length} workloads, lowest ready ratio first`) : ""}
<section><h2>Scheduling latency</h2>
  ${latencyTable(d)}
  <div class="charts" id="latency-charts"></div>
</section>
${d.otherCharts.length > 0 ? gridSection("other", "Other metrics", `${d.otherCharts.length} series`) : ""}
<section><h2>Events</h2>
  <div class="ev-controls">
    <select id="ev-kind" aria-label="kind"><option value="">all kinds</option>${[...d.events.kinds].sort().map((k) => `<option>${escapeHtml(k)}</option>`).join("")}</select>
    <input id="ev-q" type="search" placeholder="filter: subject or payload contains…" aria-label="substring filter" size="36">
    <label><input id="ev-exo" type="checkbox"> exogenous only</label>
    <label>go to <input id="ev-time" type="text" placeholder="h:mm:ss" size="9" aria-label="go to virtual time"></label>
    <span id="ev-count" class="muted"></span>
  </div>
  ${d.events.truncatedPayloads > 0 ? `<p class="muted">${d.events.truncatedPayloads} long payloads are cut (…) to keep this file small; the event log has them whole.</p>` : ""}
  <div class="ev-row ev-head"><span>seq</span><span>virtual time</span><span title="⇣ marks exogenous records (from outside: user, trace, fault, load)">kind (⇣ exogenous)</span><span>subject</span><span>payload (kind and key are in their columns)</span></div>
  <div id="ev-scroll" tabindex="0"><div id="ev-spacer"></div><div id="ev-rows"></div></div>
</section>
</main>
<footer class="muted">kubetwin · virtual time is h:mm:ss from the start of the run · click a chart to jump the event table to that time</footer>`;
}

function fact(name: string, value: string, cls = ""): string {
  return `<div class="${cls}"><dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd></div>`;
}

function expectationsSection(d: RunReportData): string {
  if (d.header.expectations.length === 0) return "";
  const rows = d.header.expectations
    .map(
      (e) =>
        `<tr class="${e.passed ? "pass" : "fail"}"><td>${e.passed ? "✔ pass" : "✘ FAIL"}</td><td>${escapeHtml(e.name)}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.detail)}</td></tr>`,
    )
    .join("");
  return `<section><h2>Expectations</h2><table class="grid" id="expectations"><thead><tr><th>result</th><th>name</th><th>kind</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function faultsSection(d: RunReportData): string {
  if (d.faults.length === 0) return `<section><h2>Faults</h2><p class="muted">No faults in this run.</p></section>`;
  const rows = d.faults
    .map((f, i) => `<tr><td class="num">${i + 1}</td><td class="mono">${formatVirtualMs(f.atMs)}</td><td>${escapeHtml(f.fault)}</td><td>${escapeHtml(f.target)}</td><td>${escapeHtml(f.label)}</td></tr>`)
    .join("");
  return `<section><h2>Faults</h2><p class="muted">Drawn on every time chart as dashed lines, numbered as here.</p><table class="grid" id="faults"><thead><tr><th class="num">#</th><th>virtual time</th><th>fault</th><th>target</th><th>label</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function summaryTableSection(t: SummaryTable): string {
  const cell = (text: string, i: number) => `<td${t.numeric[i] === true ? ' class="num"' : ""}>${escapeHtml(text)}</td>`;
  const head = t.columns.map((c, i) => `<th${t.numeric[i] === true ? ' class="num"' : ""}>${escapeHtml(c)}</th>`).join("");
  const rows = t.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("");
  return `<section><h2>${escapeHtml(t.title)}</h2><p class="muted">${escapeHtml(t.note)}</p><table class="grid" id="${t.id}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

function gridSection(id: string, title: string, note: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>
  <div class="grid-controls"><input id="${id}-filter" type="search" placeholder="filter by name…" aria-label="filter ${escapeHtml(id)}"> <span id="${id}-count" class="muted">${escapeHtml(note)}</span></div>
  <div class="charts small" id="${id}-charts"></div></section>`;
}

/** One unit for the table, chosen as the CLI's run summary chooses it (src/model/metric-scale.ts). */
function latencyTable(d: RunReportData): string {
  const stats = [d.latency.bound, d.latency.running];
  const scale = metricScale("ms", stats.flatMap((s) => [s.p50 ?? 0, s.p90 ?? 0, s.p99 ?? 0, s.max ?? 0]));
  const num = (v: number | null) => `<td class="num">${v === null ? "–" : formatScaled(v, scale)}</td>`;
  const row = (name: string, s: DistributionStats) => `<tr><td>${name}</td><td class="num">${s.count}</td>${num(s.p50)}${num(s.p90)}${num(s.p99)}${num(s.max)}</tr>`;
  return `<table class="grid compact" id="latency-stats"><thead><tr><th>from creation (${scale.unit})</th><th class="num">pods</th><th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>
  ${row("→ bound", d.latency.bound)}${row("→ running", d.latency.running)}</tbody></table>
  <p class="muted">${d.latency.createdCount} pods created; ${d.latency.createdCount - d.latency.bound.count} never bound, ${d.latency.createdCount - d.latency.running.count} never running.</p>`;
}
