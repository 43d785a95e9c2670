// The monthly topic's effect: orders before and after the plan started, and the monthly counts
// (the set-up is js/charts.js).
(function () {
  var d = jiesuCharts.data("chart-data");
  if (!d) return;
  var draw = jiesuCharts.draw;
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
