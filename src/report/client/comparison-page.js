/* Comparison report page: for each pair (A against one B), per metric, both variants' value on every seed. */
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var xs = data.seeds.map(function (_, i) { return i; });

  /** Thin grey line between the two variants' values of each seed: the pairs being compared. */
  var pairLines = {
    hooks: {
      drawSeries: [function (u, si) {
        if (si !== 2) return;
        var ctx = u.ctx, pr = uPlot.pxRatio;
        ctx.save();
        ctx.strokeStyle = "rgba(0,0,0,0.28)"; ctx.lineWidth = pr;
        for (var i = 0; i < xs.length; i++) {
          var ya = u.data[1][i], yb = u.data[2][i];
          if (ya == null || yb == null) continue;
          var x = u.valToPos(i, "x", true);
          ctx.beginPath(); ctx.moveTo(x, u.valToPos(ya, "y", true)); ctx.lineTo(x, u.valToPos(yb, "y", true)); ctx.stroke();
        }
        ctx.restore();
      }],
    },
  };

  data.pairs.forEach(function (pair) { data.metrics.forEach(function (m, i) { drawMetric(pair, m, i); }); });
  KT.markReady();

  function drawMetric(pair, m, i) {
    var a = pair.variants[0], b = pair.variants[1];
    var id = pair.idPrefix + i;
    var parent = document.getElementById("cmp-chart-" + id);
    var el = KT.chartBox(parent, "cmp-" + id);
    // every number in the metric's one shown unit (chosen in src/model/metric-scale.ts)
    var scale = pair.scales[i];
    var k = function (v) { return v * scale.factor; };
    var va = m.values[a].map(k), vb = m.values[b].map(k);
    var meanA = xs.map(function () { return k(m.mean[a]); }), meanB = xs.map(function () { return k(m.mean[b]); });
    var unit = scale.unit ? " (" + scale.unit + ")" : "";
    var fmt = function (u, v) { return KT.fmtNum(v); };
    var u = new uPlot({
      width: KT.widthOf(el), height: 230, title: m.name + unit + " per seed",
      scales: { x: { time: false, range: function () { return [-0.5, xs.length - 0.5]; } } },
      series: [
        { label: "seed", value: function (u, v) { return v == null ? "–" : String(data.seeds[v]); } },
        { label: "A: " + a, stroke: KT.palette[0], fill: KT.palette[0], paths: function () { return null; }, points: { show: true, size: 8, fill: KT.palette[0] }, value: fmt },
        { label: "B: " + b, stroke: KT.palette[1], fill: KT.palette[1], paths: function () { return null; }, points: { show: true, size: 8, fill: KT.palette[1] }, value: fmt },
        { label: "mean " + a, stroke: KT.palette[0], dash: [6, 4], width: 1.2, points: { show: false }, value: fmt },
        { label: "mean " + b, stroke: KT.palette[1], dash: [2, 3], width: 1.2, points: { show: false }, value: fmt },
      ],
      axes: [
        { label: "seed", splits: function () { return xs.length <= 30 ? xs : xs.filter(function (x) { return x % Math.ceil(xs.length / 30) === 0; }); },
          values: function (u, s) { return s.map(function (i) { return String(data.seeds[i]); }); }, space: 24 },
        { size: KT.axisSize, values: function (u, s) { return s.map(KT.fmtNum); } },
      ],
      plugins: [pairLines],
    }, [xs, va, vb, meanA, meanB], el);
    KT.titleTooltip(u);
    KT.register("cmp-" + id, u, el, 230);
  }
})();
