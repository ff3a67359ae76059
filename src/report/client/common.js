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

  var faultRowPx = 15;

  /** How many rows of fault labels a chart reserves above its plot area (0 without faults). */
  function faultRows(faults, small) { return !faults || faults.length === 0 ? 0 : small ? 1 : 2; }

  /**
   * Draws each fault as a dashed vertical line over the plot, and its number (with the label in
   * large charts) in a band reserved above the plot area, so a label never covers a data line.
   * Small charts show numbers only; numbers too close to fit side by side share one box ("2,3").
   * Large charts move a label that would overlap to the second row, else leave it out (the line
   * stays; the Faults table has every number). The boxes drawn are kept in u.faultLabels (CSS px).
   */
  function faultPlugin(faults, small) {
    var rows = faultRows(faults, small);
    return {
      hooks: {
        draw: [function (u) {
          u.faultLabels = [];
          if (rows === 0) return;
          var ctx = u.ctx, bb = u.bbox, pr = uPlot.pxRatio;
          ctx.save();
          ctx.font = 11 * pr + "px system-ui, sans-serif";
          ctx.textBaseline = "top";
          ctx.textAlign = "left"; // uPlot leaves the axes' alignment on the context
          var bandTop = bb.top - rows * faultRowPx * pr;
          var right = bb.left + bb.width;
          var shown = [];
          for (var i = 0; i < faults.length; i++) {
            var x = Math.round(u.valToPos(faults[i].atMs, "x", true)) + 0.5;
            if (x < bb.left - 1 || x > right + 1) continue;
            shown.push({ n: i + 1, x: x, label: faults[i].label });
            ctx.strokeStyle = "#222"; ctx.lineWidth = pr; ctx.setLineDash([4 * pr, 3 * pr]);
            ctx.beginPath(); ctx.moveTo(x, bandTop); ctx.lineTo(x, bb.top + bb.height); ctx.stroke();
          }
          ctx.setLineDash([]);
          var boxes = small ? numberBoxes(ctx, shown, pr) : labelBoxes(ctx, shown, pr);
          var rowEnds = [];
          for (var r0 = 0; r0 < rows; r0++) rowEnds.push(-Infinity);
          for (var j = 0; j < boxes.length; j++) {
            var b = boxes[j];
            // beside its line, on the side that stays inside the chart
            var tx = Math.max(bb.left, b.x + b.w > right ? b.x - b.w : b.x);
            var row = -1;
            for (var r = 0; r < rows; r++) if (rowEnds[r] <= tx) { row = r; break; }
            if (row < 0) continue;
            var ty = bandTop + row * faultRowPx * pr;
            ctx.fillStyle = "#fff"; ctx.fillRect(tx, ty, b.w, (faultRowPx - 1) * pr);
            ctx.strokeStyle = "#888"; ctx.lineWidth = pr; ctx.strokeRect(tx + 0.5, ty + 0.5, b.w - 1, (faultRowPx - 1) * pr - 1);
            ctx.fillStyle = "#111"; ctx.fillText(b.text, tx + 3 * pr, ty + 1.5 * pr);
            rowEnds[row] = tx + b.w + 2 * pr;
            u.faultLabels.push({ numbers: b.numbers, text: b.text, left: tx / pr, top: ty / pr, width: b.w / pr, height: faultRowPx - 1, plotTop: bb.top / pr });
          }
          ctx.restore();
        }],
      },
    };
  }

  function boxOf(ctx, pr, x, text, numbers) { return { x: x, text: text, numbers: numbers, w: ctx.measureText(text).width + 6 * pr }; }

  /** "n label" per fault, the label cut at 26 characters. */
  function labelBoxes(ctx, shown, pr) {
    return shown.map(function (f) {
      return boxOf(ctx, pr, f.x, f.n + " " + (f.label.length > 26 ? f.label.slice(0, 25) + "…" : f.label), [f.n]);
    });
  }

  /** Numbers only; a number whose box would reach into the previous one joins it ("2,3"). */
  function numberBoxes(ctx, shown, pr) {
    var boxes = [];
    shown.forEach(function (f) {
      var last = boxes[boxes.length - 1];
      if (last && f.x < last.x + last.w + 2 * pr) {
        var joined = boxOf(ctx, pr, last.x, last.text + "," + f.n, last.numbers.concat([f.n]));
        boxes[boxes.length - 1] = joined;
      } else boxes.push(boxOf(ctx, pr, f.x, String(f.n), [f.n]));
    });
    return boxes;
  }

  /**
   * A y axis as wide as its longest tick label (uPlot calls this again after laying out the ticks),
   * so labels like "125000" or "-0.2991" are never clipped at the chart's left edge.
   */
  function axisSize(u, values, axisIdx, cycleNum) {
    var axis = u.axes[axisIdx];
    if (cycleNum > 1 && axis._size) return axis._size;
    var px = (axis.ticks && axis.ticks.show !== false ? axis.ticks.size : 0) + (axis.gap || 0);
    var longest = 0;
    if (values && values.length) {
      u.ctx.save();
      u.ctx.font = axis.font[0];
      for (var i = 0; i < values.length; i++) longest = Math.max(longest, u.ctx.measureText(String(values[i] == null ? "" : values[i])).width);
      u.ctx.restore();
    }
    return Math.ceil(px + longest / uPlot.pxRatio + 6); // uPlot adds the axis label's own room

  }

  /** The chart's title may be cut with an ellipsis (CSS); its full text is in the tooltip. */
  function titleTooltip(u) {
    var t = u.root.querySelector(".u-title");
    if (t) t.title = t.textContent;
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
    var small = height < 200;
    var u = new uPlot({
      width: widthOf(el), height: height, title: chart.title,
      padding: [faultRows(faults, small) > 0 ? faultRows(faults, small) * faultRowPx + 8 : null, null, null, null],
      scales: { x: { time: false } },
      series: series,
      axes: [
        { values: function (u, splits) { return splits.map(fmtTime); }, incrs: timeIncrsMs, space: 72 },
        { label: chart.yLabel || "", size: axisSize, values: function (u, splits) { return splits.map(fmtNum); } },
      ],
      cursor: { drag: { x: true, y: false } },
      plugins: [faultPlugin(faults, small)],
    }, [chart.xs].concat(chart.series.map(function (s) { return s.values; })), el);
    u.over.addEventListener("click", function () {
      if (onTimeClick && u.cursor.left != null && u.cursor.left >= 0) onTimeClick(u.posToVal(u.cursor.left, "x"));
    });
    titleTooltip(u);
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
    faultPlugin: faultPlugin, timeChart: timeChart, axisSize: axisSize, titleTooltip: titleTooltip, smallMultiples: smallMultiples, chartBox: chartBox,
    register: register, widthOf: widthOf, state: state, fail: fail,
    setTimeClick: function (fn) { onTimeClick = fn; },
    markReady: function () { state.ready = true; document.documentElement.dataset.ready = "1"; },
  };
})();
