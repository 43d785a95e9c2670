// Pictures of seasonal foresight (the set-up is js/charts.js).
(function () {
  var d = jiesuCharts.data("trends-data");
  if (!d) return;
  var draw = jiesuCharts.draw;
  if (d.trend && d.trend.length) draw("chart-trend", {
    tooltip: {trigger: "axis"}, legend: {type: "scroll", data: d.trend.map(function (s) { return s.name; })},
    grid: {left: 40, right: 10, top: 35, bottom: 25},
    xAxis: {type: "category", data: d.weeks}, yAxis: {type: "value", minInterval: 1},
    series: d.trend.map(function (s) { return {name: s.name, type: "line", showSymbol: false, data: s.data}; })
  });
  if (d.places && d.places.length) draw("chart-places", {
    tooltip: {trigger: "axis"}, legend: {type: "scroll", data: d.places.map(function (s) { return s.name; })},
    grid: {left: 40, right: 10, top: 35, bottom: 25},
    xAxis: {type: "category", data: d.weeks}, yAxis: {type: "value", minInterval: 1},
    series: d.places.map(function (s) { return {name: s.name, type: "line", showSymbol: false, data: s.data}; })
  });
  if (d.season) draw("chart-season", {
    tooltip: {trigger: "axis"}, legend: {data: [d.labels.history, d.labels.forecast, d.labels.band]},
    grid: {left: 40, right: 10, top: 35, bottom: 25},
    xAxis: {type: "category", data: d.season.weeks}, yAxis: {type: "value", minInterval: 1},
    series: [
      {name: d.labels.history, type: "line", showSymbol: false, data: d.season.history},
      // The band: an invisible lower line with the width stacked on it and filled.
      {name: "lower", type: "line", stack: "band", showSymbol: false, lineStyle: {opacity: 0}, data: d.season.lower,
       tooltip: {show: false}},
      {name: d.labels.band, type: "line", stack: "band", showSymbol: false, lineStyle: {opacity: 0},
       areaStyle: {opacity: 0.25}, data: d.season.band},
      {name: d.labels.forecast, type: "line", showSymbol: false, lineStyle: {type: "dashed"}, data: d.season.forecast}
    ]
  });
  if (d.heat && d.heat.places.length) draw("chart-heat", {
    tooltip: {position: "top"}, grid: {left: 110, right: 20, top: 10, bottom: 90},
    xAxis: {type: "category", data: d.heat.matters, axisLabel: {rotate: 35, width: 90, overflow: "truncate"}},
    yAxis: {type: "category", data: d.heat.places, inverse: true},
    visualMap: {min: 0, max: Math.max(1, d.heat.max), calculable: true, orient: "horizontal", left: "center",
                bottom: 0, itemHeight: 120},
    series: [{type: "heatmap", data: d.heat.cells, label: {show: true}}]
  });
})();
