// The park map: the site plan as the background of a 0–1 × 0–1 grid, each carrier a polygon
// coloured by state; a click on a carrier opens it; on the secretariat's page, clicks elsewhere
// add points to the shape being drawn. Data comes from the page's json_script tag.
(function () {
  var el = document.getElementById("park-map");
  var source = document.getElementById("park-map-data");
  if (!el || !source) return;
  var data = JSON.parse(source.textContent);
  document.querySelectorAll(".legend li[data-colour]").forEach(function (li) {
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.backgroundColor = li.dataset.colour;  // CSSOM, allowed by the CSP
    li.prepend(swatch);
  });
  if (typeof echarts === "undefined") return; // no ECharts: the table remains
  function size() {
    el.style.height = Math.round(el.clientWidth * (data.ratio || 0.6)) + "px";
  }
  size();
  var chart = echarts.init(el);
  var drawing = [];
  var input = document.getElementById("shape-input");
  var count = document.getElementById("shape-count");
  var grid = { left: 0, right: 0, top: 0, bottom: 0 };
  function polygons() {
    return data.items.filter(function (i) { return i.shape && i.shape.length >= 3; });
  }
  function render() {
    var shapes = polygons();
    var option = {
      aria: { enabled: true },
      backgroundColor: data.plan ? "transparent" : "#eef2ec",
      grid: grid,
      xAxis: { type: "value", min: 0, max: 1, show: false },
      yAxis: { type: "value", min: 0, max: 1, inverse: true, show: false },
      tooltip: { renderMode: "richText", formatter: function (p) { return p.data && p.data.name ? p.data.name + " · " + p.data.label : ""; } },
      graphic: data.plan ? [{ type: "image", id: "plan", left: 0, top: 0, z: -10, silent: true,
        style: { image: data.plan, width: el.clientWidth, height: el.clientHeight } }] : [],
      series: [{
        type: "custom", coordinateSystem: "cartesian2d",
        data: shapes.map(function (i, n) { return { value: [i.shape[0][0], i.shape[0][1]], name: i.name, label: i.label, url: i.url, colour: i.colour, shape: i.shape }; }),
        renderItem: function (params, api) {
          var item = shapes[params.dataIndex];
          var points = item.shape.map(function (p) { return api.coord(p); });
          var cx = 0, cy = 0;
          points.forEach(function (p) { cx += p[0] / points.length; cy += p[1] / points.length; });
          return { type: "group", children: [
            { type: "polygon", shape: { points: points },
              style: { fill: item.colour, opacity: 0.6, stroke: "#222", lineWidth: 1 } },
            { type: "text", x: cx, y: cy, silent: true,
              style: { text: item.code, fill: "#111", fontSize: 11, align: "center", verticalAlign: "middle" } }
          ] };
        }
      }, {
        type: "line", data: drawing.map(function (p) { return p; }), symbolSize: 8, silent: true,
        lineStyle: { color: "#c62828", type: "dashed" }, itemStyle: { color: "#c62828" }
      }]
    };
    chart.setOption(option, true);
  }
  render();
  chart.on("click", function (p) {
    if (p.seriesIndex === 0 && p.data && p.data.url && !input) window.location.href = p.data.url;
    if (p.seriesIndex === 0 && p.data && p.data.url && input && drawing.length === 0) window.location.href = p.data.url;
  });
  if (input) {
    chart.getZr().on("click", function (event) {
      if (event.target && drawing.length === 0) return; // a carrier: opened above
      var point = chart.convertFromPixel({ gridIndex: 0 }, [event.offsetX, event.offsetY]);
      if (!point) return;
      drawing.push([Math.min(1, Math.max(0, +point[0].toFixed(4))), Math.min(1, Math.max(0, +point[1].toFixed(4)))]);
      input.value = JSON.stringify(drawing);
      count.textContent = drawing.length;
      render();
    });
    document.getElementById("shape-clear").addEventListener("click", function () {
      drawing = []; input.value = ""; count.textContent = "0"; render();
    });
  }
  window.addEventListener("resize", function () { size(); chart.resize(); render(); });
})();
