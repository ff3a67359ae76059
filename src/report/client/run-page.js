/* Run report page: charts from the inline data, and the virtual-scrolled event table. */
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var faults = data.faults;

  function byId(id) { return document.getElementById(id); }

  function drawCharts() {
    var cluster = byId("cluster-charts");
    data.clusterCharts.forEach(function (c) { KT.timeChart(cluster, c, faults); });
    if (data.workloadCharts.length > 0) KT.smallMultiples(byId("workloads-charts"), byId("workloads-filter"), byId("workloads-count"), data.workloadCharts, faults, 24);
    if (data.otherCharts.length > 0) KT.smallMultiples(byId("other-charts"), byId("other-filter"), byId("other-count"), data.otherCharts, faults, 24);
    var lat = byId("latency-charts");
    KT.timeChart(lat, data.latency.windows, faults, {
      style: function (s, i) { return { stroke: KT.palette[i < 3 ? 0 : 1], dash: [[], [8, 4], [2, 3]][i % 3] }; },
    });
    histogramCharts(lat, data.latency.histogram);
  }

  function binLabel(edges, i) { return KT.fmtMs(edges[i]) + "–" + KT.fmtMs(edges[i + 1]); }

  /** Histogram and CDF over shared latency bins (x is the bin index; labels name the ranges). */
  function histogramCharts(parent, h) {
    var k = h.edgesMs.length - 1;
    var xs = []; for (var i = 0; i < k; i++) xs.push(i);
    var splits = function () { return xs; };
    // label only the decades (1 ms, 10 ms, 100 ms, 1 s, …): 1-2-5 labels would overlap
    var labels = function (u, s) {
      return s.map(function (i) { var e = h.edgesMs[i + 1]; return /^10*$/.test(String(e)) || k <= 8 ? KT.fmtMs(e) : ""; });
    };
    var xScale = { time: false, range: function () { return [-0.5, k - 0.5]; } };
    var row = document.createElement("div");
    row.className = "charts small";
    parent.appendChild(row);
    var histEl = KT.chartBox(row, "latency-histogram");
    var bars = uPlot.paths.bars;
    var hist = new uPlot({
      width: KT.widthOf(histEl), height: 240, title: "Latency distribution (pods per bin, upper edge shown)",
      scales: { x: xScale },
      series: [
        { label: "bin", value: function (u, v) { return v == null ? "–" : binLabel(h.edgesMs, v); } },
        { label: "creation→bound", fill: KT.palette[0], stroke: KT.palette[0], paths: bars({ size: [0.42, 60], align: -1 }), points: { show: false } },
        { label: "creation→running", fill: KT.palette[1], stroke: KT.palette[1], paths: bars({ size: [0.42, 60], align: 1 }), points: { show: false } },
      ],
      axes: [{ splits: splits, values: labels, space: 40 }, { label: "pods", size: KT.axisSize }],
      legend: { live: true },
    }, [xs, h.bound, h.running], histEl);
    KT.register("latency-histogram", hist, histEl, 240);
    var cdfEl = KT.chartBox(row, "latency-cdf");
    var pct = function (a) { return a.map(function (v) { return v * 100; }); };
    var cdf = new uPlot({
      width: KT.widthOf(cdfEl), height: 240, title: "Latency CDF (% of pods at or below the bin's upper edge)",
      scales: { x: xScale, y: { range: [0, 100] } },
      series: [
        { label: "≤", value: function (u, v) { return v == null ? "–" : KT.fmtMs(h.edgesMs[v + 1]); } },
        { label: "creation→bound", stroke: KT.palette[0], width: 1.8, paths: uPlot.paths.stepped({ align: 1 }) },
        { label: "creation→running", stroke: KT.palette[1], width: 1.8, dash: [8, 4], paths: uPlot.paths.stepped({ align: 1 }) },
      ],
      axes: [{ splits: splits, values: labels, space: 40 }, { label: "%", size: KT.axisSize }],
    }, [xs, pct(h.boundCdf), pct(h.runningCdf)], cdfEl);
    KT.register("latency-cdf", cdf, cdfEl, 240);
  }

  function base64ToBytes(b64) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  /** Inflates the columnar event blob (layout in src/report/event-columns.ts). */
  async function decodeEvents() {
    var bytes = base64ToBytes(byId("event-blob").textContent.trim());
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    var buf = await new Response(stream).arrayBuffer();
    var headerLen = new DataView(buf).getUint32(0, true);
    var header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, headerLen)));
    var n = header.count;
    var at = Math.ceil((4 + headerLen) / 4) * 4;
    var atDelta = new Int32Array(buf, at, n); at += 4 * n;
    var seqDelta = new Int32Array(buf, at, n); at += 4 * n;
    var subject = new Uint32Array(buf, at, n); at += 4 * n;
    var payload = new Uint32Array(buf, at, n); at += 4 * n;
    var kind = new Uint8Array(buf, at, n);
    var atMs = new Float64Array(n), seq = new Float64Array(n);
    var a = 0, s = 0;
    for (var i = 0; i < n; i++) { a += atDelta[i]; s += seqDelta[i]; atMs[i] = a; seq[i] = s; }
    return { n: n, header: header, atMs: atMs, seq: seq, subject: subject, payload: payload, kind: kind };
  }

  var ROW_H = 22;
  var SPACER_MAX_PX = 8000000; // beyond this, scroll position maps proportionally onto rows

  function eventTable(ev) {
    var scroll = byId("ev-scroll"), spacer = byId("ev-spacer"), rowsEl = byId("ev-rows");
    var kindSel = byId("ev-kind"), q = byId("ev-q"), exo = byId("ev-exo"), timeIn = byId("ev-time"), countEl = byId("ev-count");
    var kinds = ev.header.kinds, subjects = ev.header.subjects, payloads = ev.header.payloads;
    var lower = {};
    function lowered(name, list) { return lower[name] || (lower[name] = list.map(function (t) { return t.toLowerCase(); })); }
    function matchFlags(list, needle) {
      var f = new Uint8Array(list.length);
      for (var i = 0; i < list.length; i++) if (list[i].indexOf(needle) >= 0) f[i] = 1;
      return f;
    }
    var rows = null; // Int32Array of record indices, or null for all
    var pool = [];

    function rowCount() { return rows ? rows.length : ev.n; }
    function recordAt(r) { return rows ? rows[r] : r; }
    function spacerPx() { return Math.min(rowCount() * ROW_H, SPACER_MAX_PX); }
    function scaled() { return rowCount() * ROW_H > SPACER_MAX_PX; }

    function visibleCount() { return Math.ceil(scroll.clientHeight / ROW_H) + 1; }

    function firstRowAndOffset() {
      var top = scroll.scrollTop;
      if (!scaled()) return { first: Math.floor(top / ROW_H), offset: top - (top % ROW_H) };
      var maxScroll = Math.max(1, spacerPx() - scroll.clientHeight);
      var lastFirst = Math.max(0, rowCount() - visibleCount() + 1);
      return { first: Math.min(lastFirst, Math.round((top / maxScroll) * lastFirst)), offset: top };
    }

    function scrollToRow(r) {
      if (!scaled()) { scroll.scrollTop = r * ROW_H; return; }
      var lastFirst = Math.max(1, rowCount() - visibleCount() + 1);
      scroll.scrollTop = (r / lastFirst) * Math.max(1, spacerPx() - scroll.clientHeight);
    }

    function cellRow() {
      var el = document.createElement("div");
      el.className = "ev-row";
      for (var c = 0; c < 5; c++) el.appendChild(document.createElement("span"));
      el.children[2].className = "k";
      rowsEl.appendChild(el);
      return el;
    }

    function render() {
      var fo = firstRowAndOffset();
      var want = Math.min(visibleCount(), Math.max(0, rowCount() - fo.first));
      while (pool.length < want) pool.push(cellRow());
      rowsEl.style.transform = "translateY(" + fo.offset + "px)";
      rowsEl.style.height = scroll.clientHeight + "px"; // rows never stretch the scroll range
      for (var j = 0; j < pool.length; j++) {
        var el = pool[j];
        if (j >= want) { el.hidden = true; continue; }
        el.hidden = false;
        var i = recordAt(fo.first + j);
        var k = ev.kind[i];
        var p = payloads[ev.payload[i]];
        el.classList.toggle("exo", (k & 128) !== 0);
        el.children[0].textContent = String(ev.seq[i]);
        el.children[1].textContent = KT.fmtTime(ev.atMs[i]);
        el.children[2].textContent = kinds[k & 127];
        el.children[3].textContent = subjects[ev.subject[i]];
        el.children[3].title = subjects[ev.subject[i]];
        el.children[4].textContent = p === "{}" ? "" : p;
        el.children[4].title = p;
        el.dataset.seq = String(ev.seq[i]);
      }
    }

    function applyFilter() {
      var kindId = kindSel.value ? kinds.indexOf(kindSel.value) : -1;
      var needle = q.value.trim().toLowerCase();
      var exoOnly = exo.checked;
      if (kindId < 0 && needle === "" && !exoOnly) rows = null;
      else {
        var subjOk = needle ? matchFlags(lowered("s", subjects), needle) : null;
        var payOk = needle ? matchFlags(lowered("p", payloads), needle) : null;
        var kindOk = needle ? matchFlags(lowered("k", kinds), needle) : null;
        var out = new Int32Array(ev.n), m = 0;
        for (var i = 0; i < ev.n; i++) {
          var k = ev.kind[i];
          if (kindId >= 0 && (k & 127) !== kindId) continue;
          if (exoOnly && (k & 128) === 0) continue;
          if (needle && !subjOk[ev.subject[i]] && !payOk[ev.payload[i]] && !kindOk[k & 127]) continue;
          out[m++] = i;
        }
        rows = out.subarray(0, m);
      }
      spacer.style.height = spacerPx() + "px";
      countEl.textContent = (rows ? rows.length + " of " : "") + ev.n + " events";
      scroll.scrollTop = 0;
      render();
    }

    /** First shown row at or after virtual time t. */
    function jumpToTime(t) {
      var lo = 0, hi = rowCount();
      while (lo < hi) { var mid = (lo + hi) >> 1; if (ev.atMs[recordAt(mid)] < t) lo = mid + 1; else hi = mid; }
      scrollToRow(Math.min(lo, Math.max(0, rowCount() - 1)));
      render();
    }

    var queued = false;
    scroll.addEventListener("scroll", function () {
      if (queued) return;
      queued = true;
      requestAnimationFrame(function () { queued = false; render(); });
    });
    var timer = 0;
    q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(applyFilter, 150); });
    kindSel.addEventListener("change", applyFilter);
    exo.addEventListener("change", applyFilter);
    timeIn.addEventListener("change", function () { var t = KT.parseTime(timeIn.value); if (t != null) jumpToTime(t); });
    KT.setTimeClick(function (t) { timeIn.value = KT.fmtTime(Math.max(0, Math.round(t))); jumpToTime(t); scroll.scrollIntoView({ block: "nearest" }); });
    window.addEventListener("resize", render);
    applyFilter();
    KT.state.events = { count: ev.n, shown: function () { return rowCount(); }, applyFilter: applyFilter, jumpToTime: jumpToTime };
  }

  async function main() {
    var t0 = performance.now();
    drawCharts();
    var t1 = performance.now();
    var ev = await decodeEvents();
    var t2 = performance.now();
    eventTable(ev);
    KT.state.timingsMs = { charts: t1 - t0, decodeEvents: t2 - t1, table: performance.now() - t2 };
    KT.markReady();
  }
  main().catch(KT.fail);
})();
