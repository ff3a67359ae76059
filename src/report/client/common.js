/* Shared page code for kubetwin reports: palette, virtual-time axes, fault markers, chart registry.
 * Plain browser JavaScript, inlined into every report; uPlot is inlined before it. */
"use strict";
var KT = (function () {
  // Okabe–Ito: distinguishable with the common colour-vision deficiencies.
  var palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];
  var timeIncrsMs = [1, 10, 100, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 900000, 1800000,
    3600000, 7200000, 10800000, 21600000, 43200000, 86400000, 172800000, 604800000];
  var state = { charts: [], ready: false, errors: [] };
  window.__kubetwinReport = state;

  window.addEventListener("error", function (e) { fail(e.error || e.message); });
  window.addEventListener("unhandledrejection", function (e) { fail(e.reason); });

  function fail(err) {
    var text = String(err && err.stack || err);
    state.errors.push(text);
    var banner = document.createElement("div");
    banner.className = "error-banner";
    banner.textContent = "This report failed to render completely: " + text;
    document.body.insertBefore(banner, document.body.firstChild);
  }

  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }

  /** Virtual ms → h:mm:ss (with .mmm when not whole seconds). */
  function fmtTime(ms) {
    if (ms == null || !isFinite(ms)) return "–";
    var sign = ms < 0 ? "-" : "";
    var rest = Math.abs(Math.round(ms));
    var h = Math.floor(rest / 3600000); rest -= h * 3600000;
    var m = Math.floor(rest / 60000); rest -= m * 60000;
    var s = Math.floor(rest / 1000); var milli = rest - s * 1000;
    return sign + h + ":" + pad(m, 2) + ":" + pad(s, 2) + (milli ? "." + pad(milli, 3) : "");
  }

  /** "1:02:03", "2:03", "45", "45.5" (seconds) → ms; null when unreadable. */
  function parseTime(text) {
    var parts = String(text).trim().split(":");
    if (parts.length === 0 || parts.length > 3 || parts[0] === "") return null;
    var total = 0;
    for (var i = 0; i < parts.length; i++) {
      var v = Number(parts[i]);
      if (!isFinite(v) || v < 0) return null;
      total = total * 60 + v;
    }
    return Math.round(total * 1000);
  }

  function fmtNum(v) {
    if (v == null || !isFinite(v)) return "–";
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(4)));
  }

  function fmtMs(ms) {
    if (ms >= 60000) return fmtNum(ms / 60000) + " min";
    if (ms >= 1000) return fmtNum(ms / 1000) + " s";
    return fmtNum(ms) + " ms";
  }

  /** Draws each fault as a dashed vertical line with its number and label, staggered in three rows. */
  function faultPlugin(faults) {
    return {
      hooks: {
        draw: [function (u) {
          if (!faults || faults.length === 0) return;
          var ctx = u.ctx, bb = u.bbox, pr = uPlot.pxRatio;
          ctx.save();
          ctx.beginPath(); ctx.rect(bb.left, bb.top, bb.width, bb.height); ctx.clip();
          ctx.font = 11 * pr + "px system-ui, sans-serif";
          ctx.textBaseline = "top";
          ctx.textAlign = "left"; // uPlot leaves the axes' alignment on the context
          var rowEnds = [-Infinity, -Infinity, -Infinity];
          for (var i = 0; i < faults.length; i++) {
            var f = faults[i];
            var x = Math.round(u.valToPos(f.atMs, "x", true)) + 0.5;
            if (x < bb.left - 1 || x > bb.left + bb.width + 1) continue;
            ctx.strokeStyle = "#222"; ctx.lineWidth = pr; ctx.setLineDash([4 * pr, 3 * pr]);
            ctx.beginPath(); ctx.moveTo(x, bb.top); ctx.lineTo(x, bb.top + bb.height); ctx.stroke();
            var label = (i + 1) + " " + (f.label.length > 26 ? f.label.slice(0, 25) + "…" : f.label);
            var w = ctx.measureText(label).width + 6 * pr;
            var tx = x + w > bb.left + bb.width ? x - w : x;
            var row = -1;
            for (var r = 0; r < rowEnds.length; r++) if (rowEnds[r] < tx) { row = r; break; }
            if (row < 0) continue; // crowded: the line stays, the number is in the table
            var ty = bb.top + (2 + row * 15) * pr;
            ctx.setLineDash([]);
            ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fillRect(tx, ty - pr, w, 14 * pr);
            ctx.fillStyle = "#111"; ctx.fillText(label, tx + 3 * pr, ty);
            rowEnds[row] = tx + w + 2 * pr;
          }
          ctx.restore();
        }],
      },
    };
  }

  function widthOf(el) { return Math.max(260, Math.floor(el.clientWidth - 10)); }

  function register(id, u, el, height) {
    state.charts.push({ id: id, uplot: u, el: el, height: height });
  }

  var resizeQueued = false;
  window.addEventListener("resize", function () {
    if (resizeQueued) return;
    resizeQueued = true;
    requestAnimationFrame(function () {
      resizeQueued = false;
      state.charts.forEach(function (c) { if (c.el.isConnected) c.uplot.setSize({ width: widthOf(c.el), height: c.height }); });
    });
  });

  function chartBox(parent, id) {
    var el = document.createElement("div");
    el.className = "chart";
    el.dataset.chartId = id;
    parent.appendChild(el);
    return el;
  }

  var onTimeClick = null;

  /** A chart over virtual time (x in ms) with fault markers; click reports the time under the cursor. */
  function timeChart(parent, chart, faults, opt) {
    opt = opt || {};
    var el = chartBox(parent, chart.id);
    var height = opt.height || 240;
    var series = [{ label: "time", value: function (u, v) { return fmtTime(v); } }];
    chart.series.forEach(function (s, i) {
      var style = opt.style ? opt.style(s, i) : {};
      series.push({
        label: s.label,
        stroke: style.stroke || palette[i % palette.length],
        dash: style.dash,
        width: 1.6,
        spanGaps: false,
        value: function (u, v) { return fmtNum(v); },
      });
    });
    var u = new uPlot({
      width: widthOf(el), height: height, title: chart.title,
      scales: { x: { time: false } },
      series: series,
      axes: [
        { values: function (u, splits) { return splits.map(fmtTime); }, incrs: timeIncrsMs, space: 72 },
        { label: chart.yLabel || "", size: 56, values: function (u, splits) { return splits.map(fmtNum); } },
      ],
      cursor: { drag: { x: true, y: false } },
      plugins: [faultPlugin(faults)],
    }, [chart.xs].concat(chart.series.map(function (s) { return s.values; })), el);
    u.over.addEventListener("click", function () {
      if (onTimeClick && u.cursor.left != null && u.cursor.left >= 0) onTimeClick(u.posToVal(u.cursor.left, "x"));
    });
    register(chart.id, u, el, height);
    return u;
  }

  /** A target line ("desired") dashed, so the actual line under it stays visible where they agree. */
  function targetDashed(s, i) {
    return s.label === "desired" ? { stroke: palette[i % palette.length], dash: [6, 4] } : {};
  }

  /** Small multiples with a name filter; charts are built only when shown (at most `limit`). */
  function smallMultiples(parent, filterInput, countEl, charts, faults, limit) {
    var built = {};
    function show() {
      var q = (filterInput.value || "").trim().toLowerCase();
      var matching = charts.filter(function (c) { return q === "" || c.title.toLowerCase().indexOf(q) >= 0; });
      var shown = matching.slice(0, limit);
      var ids = {};
      shown.forEach(function (c) { ids[c.id] = true; });
      Array.prototype.forEach.call(parent.children, function (el) { el.hidden = !ids[el.dataset.chartId]; });
      shown.forEach(function (c) {
        if (!built[c.id]) built[c.id] = timeChart(parent, c, faults, { height: 170, style: targetDashed });
      });
      shown.forEach(function (c) { parent.appendChild(built[c.id].root.parentElement); });
      countEl.textContent = "showing " + shown.length + " of " + matching.length + (matching.length === charts.length ? "" : " matching (" + charts.length + " in all)");
    }
    var timer = 0;
    filterInput.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(show, 120); });
    show();
  }

  return {
    palette: palette, fmtTime: fmtTime, parseTime: parseTime, fmtNum: fmtNum, fmtMs: fmtMs,
    faultPlugin: faultPlugin, timeChart: timeChart, smallMultiples: smallMultiples, chartBox: chartBox,
    register: register, widthOf: widthOf, state: state, fail: fail,
    setTimeClick: function (fn) { onTimeClick = fn; },
    markReady: function () { state.ready = true; document.documentElement.dataset.ready = "1"; },
  };
})();
