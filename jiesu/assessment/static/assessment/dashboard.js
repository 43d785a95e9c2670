// Charts of the assessment dashboard (the set-up is js/charts.js).
(function () {
  var d = jiesuCharts.data("chart-data");
  if (!d) return;
  var draw = jiesuCharts.draw;
  draw("chart-scores", {
    tooltip: {}, grid: {left: 170, right: 20, top: 10, bottom: 20},
    xAxis: {type: "value", min: function (v) { return Math.max(0, Math.floor(v.min - 5)); }},
    yAxis: {type: "category", inverse: true, data: d.units, axisLabel: {width: 160, overflow: "truncate"}},
    series: [{type: "bar", data: d.scores, label: {show: true, position: "right"}}]
  });
  if (d.classes) draw("chart-classes", {
    tooltip: {}, series: [{type: "pie", radius: ["35%", "70%"], data: d.classes}]
  });
  if (d.months) draw("chart-trend", {
    tooltip: {trigger: "axis"}, legend: {data: ["平均得分", "满意率%", "解决率%"]},
    grid: {left: 40, right: 10, top: 30, bottom: 20},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value", scale: true},
    series: [{name: "平均得分", type: "line", data: d.avg}, {name: "满意率%", type: "line", data: d.sat},
             {name: "解决率%", type: "line", data: d.res}]
  });
  if (d.history) draw("chart-history", {
    tooltip: {trigger: "axis"}, grid: {left: 40, right: 10, top: 10, bottom: 20},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value", scale: true},
    series: [{type: "line", data: d.scores}]
  });
})();
