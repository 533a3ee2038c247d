// Draws the overview's panels with uPlot from the JSON the server put in the page.
// Every panel has the same hourly x values and one cursor sync key: one time axis.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof uPlot === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#047857", "#b45309", "#b91c1c", "#1d4ed8", "#7c3aed", "#0d9488", "#db2777", "#4b5563", "#9ca3af"];
  var colours = { allow: "#047857", allow_with_redactions: "#b45309", deny: "#b91c1c", p50: "#1d4ed8", p99: "#b91c1c", errors: "#b91c1c", "open circuit": "#7c3aed" };
  var width = function (el) { return Math.max(320, el.clientWidth - 8); };
  data.panels.forEach(function (panel) {
    var el = document.querySelector('.chart[data-panel="' + panel.id + '"]');
    if (!el) { return; }
    var series = [{}];
    var columns = [data.x];
    panel.series.forEach(function (s, i) {
      var colour = colours[s.name] || palette[i % palette.length];
      series.push({ label: s.name, stroke: colour, width: 1.5, spanGaps: false, points: { show: data.x.length < 60 } });
      columns.push(s.values);
    });
    if (panel.series.length === 0) {
      el.textContent = "Nothing in this window.";
      return;
    }
    var options = {
      width: width(el),
      height: 150,
      cursor: { sync: { key: "overview" } },
      scales: { x: { time: true } },
      axes: [{}, { label: panel.unit, size: 60 }],
      series: series
    };
    new uPlot(options, columns, el);
  });
})();
