// Small charts of the start page (the set-up is js/charts.js).
(function () {
  var d = jiesuCharts.data("cockpit-data");
  if (!d) return;
  var draw = jiesuCharts.draw;
  draw("chart-monthly", {
    tooltip: {trigger: "axis"}, legend: {data: [d.labels.received, d.labels.satisfaction]},
    grid: {left: 45, right: 45, top: 30, bottom: 25},
    xAxis: {type: "category", data: d.months},
    yAxis: [{type: "value"}, {type: "value", min: 0, max: 100}],
    series: [{name: d.labels.received, type: "bar", data: d.received},
             {name: d.labels.satisfaction, type: "line", yAxisIndex: 1, data: d.satisfaction, connectNulls: true}]
  });
  if (d.daily) draw("chart-daily", {
    tooltip: {trigger: "axis"}, grid: {left: 35, right: 10, top: 10, bottom: 25},
    xAxis: {type: "category", data: d.daily.days}, yAxis: {type: "value", minInterval: 1},
    series: [{type: "line", areaStyle: {}, data: d.daily.received}]
  });
  if (d.matters) draw("chart-matters", {
    tooltip: {}, grid: {left: 120, right: 25, top: 5, bottom: 20},
    xAxis: {type: "value", minInterval: 1},
    yAxis: {type: "category", inverse: true, data: d.matters.names, axisLabel: {width: 110, overflow: "truncate"}},
    series: [{type: "bar", data: d.matters.counts, label: {show: true, position: "right"}}]
  });
})();
