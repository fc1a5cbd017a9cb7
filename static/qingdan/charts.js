// Draw the charts whose data the page carries in data-* attributes (ECharts, served locally).
// Every chart's numbers are also in a table on the same page, for screen readers and export.
(function () {
  if (typeof echarts === "undefined") return; // no ECharts installed: the tables remain
  function bulletin(el) {
    var units = JSON.parse(el.dataset.units), trend = JSON.parse(el.dataset.trend);
    var chart = echarts.init(el);
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      // Side by side on a wide screen, one above the other on a phone.
      grid: el.clientWidth < 640
        ? [{ left: 8, right: 8, top: 40, height: "40%", containLabel: true },
           { left: 8, right: 8, top: "60%", bottom: 8, containLabel: true }]
        : [{ left: "2%", width: "44%", containLabel: true, top: 40 },
           { left: "54%", width: "44%", containLabel: true, top: 40 }],
      xAxis: [{ gridIndex: 0, type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
              { gridIndex: 1, type: "category", data: trend.weeks.map(function (w) { return w.slice(5); }) }],
      yAxis: [{ gridIndex: 0, type: "category", data: units.names, inverse: true, axisLabel: { width: 96, overflow: "truncate" } },
              { gridIndex: 1, type: "value" }],
      series: [
        { name: el.dataset.labelRate || "%", type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: units.values, itemStyle: { color: "#1d4e89" } },
        { name: el.dataset.labelRaised || "", type: "bar", xAxisIndex: 1, yAxisIndex: 1, data: trend.raised, itemStyle: { color: "#9aa5b1" } },
        { name: el.dataset.labelResolved || "", type: "line", xAxisIndex: 1, yAxisIndex: 1, data: trend.resolved, itemStyle: { color: "#1d4e89" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("#bulletin-chart").forEach(bulletin);
  function dashboard(el) {
    var d = JSON.parse(el.dataset.values), chart = echarts.init(el), option, label = el.dataset;
    var narrow = el.clientWidth < 480;
    if (el.dataset.chart === "trend") {
      option = { grid: { left: 8, right: 8, containLabel: true, top: 40 },
                 xAxis: { type: "category", data: d.weeks.map(function (w) { return w.slice(5); }) },
                 yAxis: { type: "value" }, legend: { top: 0 },
                 series: [{ name: label.labelRaised || "", type: "bar", data: d.raised, itemStyle: { color: "#9aa5b1" } },
                          { name: label.labelResolved || "", type: "line", data: d.resolved, itemStyle: { color: "#1d4e89" } }] };
    } else if (el.dataset.chart === "pipeline") {
      option = { grid: { left: 8, right: 8, containLabel: true, top: 40 }, legend: { top: 0 },
                 xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: narrow ? 30 : 0 } },
                 yAxis: [{ type: "value" }, { type: "value" }],
                 series: [{ name: label.labelCount || "", type: "bar", data: d.counts, itemStyle: { color: "#1d4e89" },
                            label: { show: true, position: "top" } },
                          { name: label.labelAmount || "", type: "line", yAxisIndex: 1, data: d.amounts, itemStyle: { color: "#c79100" } }] };
    } else {
      // Every bar carries its value: a leader reads the chart without hovering.
      option = { xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
                 yAxis: { type: "category", data: d.labels, inverse: true,
                          axisLabel: { width: narrow ? 110 : 220, overflow: "break" } },
                 grid: { containLabel: true, left: 8, right: 48 },
                 series: [{ name: label.labelGrowth || "", type: "bar", data: d.growth, itemStyle: { color: "#2f7d32" },
                            label: { show: true, position: "right", formatter: function (p) { return p.value.toFixed(1) + "%"; } } }] };
    }
    option.aria = { enabled: true };
    // Drawn on the canvas, not as HTML with inline styles (the Content-Security-Policy
    // allows styles from qingdan.css only).
    option.tooltip = { trigger: "axis", renderMode: "richText" };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(dashboard);
})();
