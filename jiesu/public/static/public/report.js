// Charts of the public monthly report (the set-up is js/charts.js).
(function () {
  var d = jiesuCharts.data("chart-data");
  if (!d) return;
  var draw = jiesuCharts.draw;
  var pie = function (rows) {
    return {tooltip: {}, series: [{type: "pie", radius: ["30%", "65%"],
      data: rows.map(function (r) { return {name: r.label, value: r.n}; })}]};
  };
  if (d.channels.length) draw("chart-channels", pie(d.channels));
  if (d.kinds.length) draw("chart-kinds", pie(d.kinds));
  if (d.districts.length) draw("chart-districts", {
    tooltip: {trigger: "axis"}, legend: {data: ["响应率", "解决率", "满意率"]},
    grid: {left: 90, right: 10, top: 30, bottom: 20},
    xAxis: {type: "value", min: 0, max: 100},
    yAxis: {type: "category", inverse: true, data: d.districts.map(function (r) { return r.unit; })},
    series: ["response", "resolution", "satisfaction"].map(function (k, i) {
      return {name: ["响应率", "解决率", "满意率"][i], type: "bar",
              data: d.districts.map(function (r) { return r[k]; })};
    })
  });
})();
