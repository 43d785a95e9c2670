// The monthly topic's effect: orders before and after the plan started, and the monthly counts,
// drawn with our own copy of Apache ECharts (the assessment app's static file; no CDN).
(function () {
  var el = document.getElementById("chart-data");
  if (!el || !window.echarts) return;
  var d = JSON.parse(el.textContent);
  var draw = function (id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var chart = echarts.init(node);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  };
  draw("chart-effect", {
    tooltip: {}, grid: {left: 50, right: 20, top: 20, bottom: 20},
    xAxis: {type: "category", data: d.labels}, yAxis: {type: "value", name: "每30天工单"},
    series: [{type: "bar", data: d.rates, barWidth: "40%", label: {show: true, position: "top"}}]
  });
  draw("chart-monthly", {
    tooltip: {trigger: "axis"}, grid: {left: 50, right: 20, top: 20, bottom: 20},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value", name: "月工单"},
    series: [{type: "line", data: d.monthly, smooth: true}]
  });
})();
