// Draw the charts whose data the page carries in data-* attributes (ECharts, served locally).
// Every chart's numbers are also in a table on the same page, for screen readers and export.
(function () {
  if (typeof echarts === "undefined") return; // no ECharts installed: the tables remain
  function bulletin(el) {
    var units = JSON.parse(el.dataset.units), trend = JSON.parse(el.dataset.trend);
    var chart = echarts.init(el);
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: [{ left: "2%", width: "44%", containLabel: true, top: 40 },
             { left: "54%", width: "44%", containLabel: true, top: 40 }],
      xAxis: [{ gridIndex: 0, type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
              { gridIndex: 1, type: "category", data: trend.weeks.map(function (w) { return w.slice(5); }) }],
      yAxis: [{ gridIndex: 0, type: "category", data: units.names, inverse: true },
              { gridIndex: 1, type: "value" }],
      series: [
        { name: el.dataset.labelRate || "%", type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: units.values, itemStyle: { color: "#1d4e89" } },
        { name: el.dataset.labelRaised || "raised", type: "bar", xAxisIndex: 1, yAxisIndex: 1, data: trend.raised, itemStyle: { color: "#9aa5b1" } },
        { name: el.dataset.labelResolved || "resolved", type: "line", xAxisIndex: 1, yAxisIndex: 1, data: trend.resolved, itemStyle: { color: "#1d4e89" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("#bulletin-chart").forEach(bulletin);
})();
